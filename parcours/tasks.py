from celery import shared_task

from . import services


@shared_task(
    name="parcours.tasks.parcours_pdf_generer",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def parcours_pdf_generer(synthese_id: str) -> bool:
    return services.synthese_generer(synthese_id=synthese_id)


@shared_task(name="parcours.tasks.syntheses_purger")
def syntheses_purger() -> int:
    return services.syntheses_purger()
