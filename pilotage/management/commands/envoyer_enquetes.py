from django.core.management.base import BaseCommand

from pilotage.satisfaction import enquetes_envoyer


class Command(BaseCommand):
    help = (
        "Envoie l'enquête de satisfaction des demandes répondues ou closes et des décisions récentes "
        "(aussi chaque heure)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{enquetes_envoyer()} enquête(s) envoyée(s).")
