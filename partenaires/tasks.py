from celery import shared_task

from . import services


@shared_task(name="partenaires.tasks.orientations_relancer")
def orientations_relancer() -> int:
    return services.orientations_relancer()
