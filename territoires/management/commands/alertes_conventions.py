from django.core.management.base import BaseCommand

from territoires.services import SEUILS_ALERTE, alertes_conventions_envoyer


class Command(BaseCommand):
    help = (
        "Alerte les chargés de mission affectés et le pilotage à "
        + ", ".join(str(s) for s in SEUILS_ALERTE)
        + " jours de la fin d'une convention EPCI (une fois par convention et par seuil)."
    )

    def handle(self, *args, **options):
        bilan = alertes_conventions_envoyer()
        self.stdout.write(f"{bilan['alertes']} alerte(s) de fin de convention, {bilan['emails']} courriel(s) écrit(s).")
