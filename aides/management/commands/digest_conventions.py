from django.conf import settings
from django.core.management.base import BaseCommand

from aides.conventions.services.convention import digest_bloquees_envoyer


class Command(BaseCommand):
    help = "Envoie à chaque gestionnaire SAF la liste des conventions bloquées (même travail que la tâche quotidienne)."

    def add_arguments(self, parser):
        parser.add_argument("--jours", type=int, default=settings.SAF_JOURS_BLOCAGE)

    def handle(self, *args, jours: int, **options):
        n = digest_bloquees_envoyer(jours=jours)
        self.stdout.write(f"{n} courriel(s) écrit(s).")
