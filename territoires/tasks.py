from celery import shared_task

from . import services


@shared_task(name="territoires.tasks.alertes_conventions")
def alertes_conventions() -> dict:
    return services.alertes_conventions_envoyer()


@shared_task(name="territoires.tasks.liste_echeance_conventions")
def liste_echeance_conventions() -> dict:
    return services.liste_echeance_envoyer()
