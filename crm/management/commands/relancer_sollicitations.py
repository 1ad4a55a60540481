from django.core.management.base import BaseCommand

from crm.services import sollicitations_relancer


class Command(BaseCommand):
    help = (
        "Relance les agents sur les demandes non prises en charge après 2 jours ouvrés et alerte le pilotage "
        "de la direction sur celles sans réponse après 10 jours ouvrés (même travail que la tâche périodique)."
    )

    def handle(self, *args, **options):
        compte = sollicitations_relancer()
        self.stdout.write(
            f"{compte['relances']} relance(s), {compte['alertes']} alerte(s) envoyée(s) ; "
            f"{compte['sans_destinataire']} sans destinataire (boîte de direction et pilotage à renseigner)."
        )
