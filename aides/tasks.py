from celery import shared_task

from . import recepisse


@shared_task(name="aides.tasks.recepisse_generer", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def recepisse_generer_task(demande_id: int) -> bool:
    return recepisse.recepisse_generer(demande_id=demande_id)


@shared_task(name="aides.tasks.recepisses_relancer")
def recepisses_relancer_task() -> int:
    """Periodic sweep: receipts whose task was lost (broker down at deposit, worker crash)."""
    return recepisse.recepisses_relancer()
