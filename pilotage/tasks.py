from celery import shared_task


@shared_task(name="pilotage.tasks.enquetes_envoyer")
def enquetes_envoyer_tache() -> int:
    from .satisfaction import enquetes_envoyer

    return enquetes_envoyer()
