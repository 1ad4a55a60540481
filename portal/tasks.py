from celery import shared_task

from . import services
from .documents import documents_orphelins_purger
from .travaux import travail_executer


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


@shared_task(name="portal.tasks.travail_executer")
def travail_executer_task(travail_id: int) -> bool:
    return travail_executer(travail_id=travail_id)


@shared_task(name="portal.tasks.travaux_balayer")
def travaux_balayer() -> dict:
    """Every minute: publish again whatever is late, of every kind (emails, jobs, receipts)."""
    return services.travaux_balayer()


@shared_task(name="portal.tasks.echecs_alerter")
def echecs_alerter() -> int:
    return services.echecs_alerter()


@shared_task(name="portal.tasks.documents_orphelins_purger")
def documents_orphelins_purger_task() -> int:
    """Every night: documents whose owner row was deleted on its own, and their files."""
    return documents_orphelins_purger()
