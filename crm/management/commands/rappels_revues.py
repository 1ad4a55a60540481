from django.core.management.base import BaseCommand

from crm.services_revues import JOURS_RAPPEL_REVUE, rappels_revues_envoyer


class Command(BaseCommand):
    help = (
        f"Rappelle aux participants de la Région les revues de projets planifiées dans les {JOURS_RAPPEL_REVUE} "
        "prochains jours (une fois par revue)."
    )

    def handle(self, *args, **options):
        bilan = rappels_revues_envoyer()
        self.stdout.write(f"{bilan['revues']} revue(s) rappelée(s), {bilan['emails']} courriel(s) écrit(s).")
