from celery import shared_task

from . import services


@shared_task(name="portal.tasks.notification_envoyer")
def notification_envoyer_task(notification_id: int) -> bool:
    return services.notification_envoyer(notification_id=notification_id)


@shared_task(name="portal.tasks.notifications_relancer")
def notifications_relancer() -> int:
    return services.notifications_relancer()


@shared_task(name="portal.tasks.reinitialisation_traiter")
def reinitialisation_traiter_task(demande_id: int) -> int:
    return services.reinitialisation_traiter(demande_id=demande_id)


@shared_task(name="portal.tasks.reinitialisations_relancer")
def reinitialisations_relancer() -> int:
    return services.reinitialisations_relancer()
