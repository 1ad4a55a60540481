"""Celery tasks of applications. Task names keep their first module path (« aides.tasks.… »): the
beat schedule rows and messages already queued name them so."""

from celery import shared_task

from aides.demandes.documents import fichiers_en_attente_purger
from aides.demandes.services import avis
from aides.demandes.services.demande import complements_rappeler
from aides.demandes.services.filtres import exports_purger


@shared_task(name="aides.tasks.fichiers_en_attente_purger")
def fichiers_en_attente_purger_task() -> int:
    return fichiers_en_attente_purger()


@shared_task(name="aides.tasks.exports_purger")
def exports_purger_task() -> int:
    """Daily: the inbox's exports older than a week go, with their files."""
    return exports_purger()


@shared_task(name="aides.tasks.complements_rappeler")
def complements_rappeler_task() -> int:
    return complements_rappeler()


@shared_task(name="aides.tasks.avis_rappeler")
def avis_rappeler_task() -> int:
    """Daily: remind experts whose opinion is due soon (claimed per day and per opinion)."""
    return avis.avis_rappeler() or 0
