from celery import shared_task

from . import services


@shared_task(name="parcours.tasks.syntheses_purger")
def syntheses_purger() -> int:
    return services.syntheses_purger()
