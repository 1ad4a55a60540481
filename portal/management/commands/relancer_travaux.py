"""`manage.py relancer_travaux`: the sweep that Celery beat runs every minute, by hand."""

from django.core.management.base import BaseCommand

from portal.services import travaux_balayer


class Command(BaseCommand):
    help = (
        "Renvoie à Celery tout ce qui est en retard : courriels en attente, travaux en arrière-plan "
        "(PDF, dont les récépissés) non faits ou dont le worker s'est arrêté."
    )

    def handle(self, *args, **options):
        bilan = travaux_balayer()
        self.stdout.write(f"{bilan['courriels']} courriel(s), {bilan['travaux']} travail(aux) renvoyé(s) à Celery.")
