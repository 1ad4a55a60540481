from django.core.management.base import BaseCommand

from parcours.services import syntheses_purger


class Command(BaseCommand):
    help = "Supprime les synthèses PDF de parcours (lignes et fichiers) de plus de N jours (7 par défaut)."

    def add_arguments(self, parser):
        parser.add_argument("--jours", type=int, default=7)

    def handle(self, *args, jours: int, **options):
        nombre = syntheses_purger(jours=jours)
        self.stdout.write(f"{nombre} synthèse(s) de parcours supprimée(s).")
