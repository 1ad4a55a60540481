import time

from django.core.management.base import BaseCommand

from territoires.carte import carte_region
from territoires.chargement import territoires_charger


class Command(BaseCommand):
    help = "Charge (ou met à jour) les départements, EPCI et communes des Hauts-de-France. Idempotent."

    def handle(self, *args, **options):
        debut = time.perf_counter()
        bilan = territoires_charger()
        carte_region(refaire=True)  # projected once here, kept in the shared cache for every web process
        duree = time.perf_counter() - debut
        self.stdout.write(
            self.style.SUCCESS(
                f"{bilan.departements} départements, {bilan.epci} EPCI et {bilan.communes} communes "
                f"chargés en {duree:.1f} s."
            )
        )
