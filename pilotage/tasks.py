from celery import shared_task

from .satisfaction import enquetes_envoyer


@shared_task(name="pilotage.tasks.enquetes_envoyer")
def enquetes_envoyer_tache() -> int:
    return enquetes_envoyer()


@shared_task(name="pilotage.tasks.agregats_rafraichir")
def agregats_rafraichir_tache(*, periodique: bool = True) -> int | None:
    """Rebuild the table of facts: hourly from the beat (once per hour whoever calls), or at once
    (`periodique=False`, after a big import); then warm the statistics cache with every page's
    default view (pilotage.rechauffage). Returns the number of rows, None when already done."""
    # Imported when the task runs, like the other tasks here: Celery loads this module before Django's models.
    from .agregats import agregats_nettoyer, agregats_rafraichir, agregats_rafraichir_periodique
    from .rechauffage import statistiques_rechauffer

    calcul = agregats_rafraichir_periodique() if periodique else agregats_rafraichir()
    if calcul is None:
        return None
    agregats_nettoyer()
    statistiques_rechauffer()
    return calcul.lignes
