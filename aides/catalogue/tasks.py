"""Celery tasks of the catalogue. Task names keep their first module path (« aides.tasks.… »): the
beat schedule rows and messages already queued name them so."""

from celery import shared_task

from aides.catalogue.services.alertes import alertes_envoyer, alertes_purger


@shared_task(name="aides.tasks.alertes_envoyer")
def alertes_envoyer_task() -> int:
    """Daily: the digests of the catalogue alerts (each claimed once per day or week)."""
    return alertes_envoyer()


@shared_task(name="aides.tasks.alertes_purger")
def alertes_purger_task() -> dict:
    """Daily: unconfirmed alerts deleted after 7 days; dormant ones asked to confirm, then deleted."""
    return alertes_purger()
