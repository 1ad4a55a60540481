from celery import shared_task

from . import services


@shared_task(name="crm.tasks.sollicitations_relancer")
def sollicitations_relancer() -> dict:
    return services.sollicitations_relancer()


@shared_task(name="crm.tasks.taches_rappeler")
def taches_rappeler() -> int:
    return services.taches_rappeler()


@shared_task(name="crm.tasks.contacts_anonymiser")
def contacts_anonymiser() -> int:
    return services.contacts_anonymiser()
