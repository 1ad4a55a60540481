from django.core.management.base import BaseCommand

from aides.catalogue.services.alertes import alertes_envoyer


class Command(BaseCommand):
    help = (
        "Envoie le récapitulatif de chaque alerte confirmée (même travail que la tâche quotidienne ; "
        "une seule fois par jour ou par semaine, même lancée deux fois)."
    )

    def handle(self, *args, **options):
        n = alertes_envoyer()
        self.stdout.write(f"{n} récapitulatif(s) écrit(s).")
