from celery import shared_task

from . import services


@shared_task(name="portal.tasks.notification_envoyer")
def notification_envoyer_task(notification_id: int) -> bool:
    return services.notification_envoyer(notification_id=notification_id)


@shared_task(name="portal.tasks.notifications_relancer")
def notifications_relancer() -> int:
    return services.notifications_relancer()
