"""Celery tasks of project reviews (kept apart from crm/tasks.py; imported by CrmConfig.ready())."""

from celery import shared_task


@shared_task(name="crm.tasks.revue_pdf_generer", autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def revue_pdf_generer(document_id: str) -> bool:
    from .revues import document_generer

    return document_generer(document_id=document_id)


# The name it had under territoires: beat rows and queued messages already carry it.
@shared_task(name="territoires.tasks.rappels_revues")
def rappels_revues() -> dict:
    from .services_revues import rappels_revues_envoyer  # at run time: this module loads in CrmConfig.ready()

    return rappels_revues_envoyer()
