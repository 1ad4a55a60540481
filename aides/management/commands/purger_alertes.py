from django.core.management.base import BaseCommand

from aides.catalogue.services.alertes import alertes_purger


class Command(BaseCommand):
    help = (
        "Efface les alertes non confirmées depuis 7 jours ; demande confirmation des alertes sans ouverture "
        "depuis un an et les efface 30 jours plus tard sans réponse (même travail que la tâche quotidienne)."
    )

    def handle(self, *args, **options):
        bilan = alertes_purger()
        self.stdout.write(
            f"{bilan['non_confirmees']} alerte(s) non confirmée(s) effacée(s), "
            f"{bilan['reconfirmations']} demande(s) de confirmation, {bilan['sans_reponse']} effacée(s) sans réponse."
        )
