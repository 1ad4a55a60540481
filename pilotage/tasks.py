from celery import shared_task


@shared_task(name="pilotage.tasks.rapport_generer", autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def rapport_generer_tache(rapport_id: str) -> bool:
    from .rapport import rapport_generer

    return rapport_generer(rapport_id=rapport_id)


@shared_task(name="pilotage.tasks.enquetes_envoyer")
def enquetes_envoyer_tache() -> int:
    from .satisfaction import enquetes_envoyer

    return enquetes_envoyer()
