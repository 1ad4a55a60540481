"""Celery tasks of project reviews (kept apart from crm/tasks.py; imported by CrmConfig.ready())."""

from celery import shared_task


# The name it had under territoires: beat rows and queued messages already carry it.
@shared_task(name="territoires.tasks.rappels_revues")
def rappels_revues() -> dict:
    from .services_revues import rappels_revues_envoyer  # at run time: this module loads in CrmConfig.ready()

    return rappels_revues_envoyer()
