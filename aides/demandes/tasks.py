"""Celery tasks of applications. Task names keep their first module path (« aides.tasks.… »): the
beat schedule rows and messages already queued name them so."""

from celery import shared_task

from aides.demandes import recepisse
from aides.demandes.documents import fichiers_en_attente_purger
from aides.demandes.services.demande import complements_rappeler


@shared_task(name="aides.tasks.recepisse_generer", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def recepisse_generer_task(demande_id: int) -> bool:
    return recepisse.recepisse_generer(demande_id=demande_id)


@shared_task(name="aides.tasks.recepisses_relancer")
def recepisses_relancer_task() -> int:
    """Periodic sweep: receipts whose task was lost (broker down at deposit, worker crash)."""
    return recepisse.recepisses_relancer()


@shared_task(name="aides.tasks.fichiers_en_attente_purger")
def fichiers_en_attente_purger_task() -> int:
    return fichiers_en_attente_purger()


@shared_task(name="aides.tasks.complements_rappeler")
def complements_rappeler_task() -> int:
    return complements_rappeler()
