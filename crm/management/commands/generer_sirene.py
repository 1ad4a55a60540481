from pathlib import Path

from django.core.management.base import BaseCommand

from crm.generation import sirene_generer


class Command(BaseCommand):
    help = "Écrit des fichiers SIRENE synthétiques (format INSEE exact) pour les mesures de volume."

    def add_arguments(self, parser):
        parser.add_argument("--etablissements", type=int, required=True, help="Établissements dans la région.")
        parser.add_argument("--sortie", type=Path, required=True, help="Dossier où écrire les deux fichiers CSV.")
        parser.add_argument("--hors-region", type=float, default=0.1, help="Part d'établissements hors région.")

    def handle(self, *args, etablissements: int, sortie: Path, hors_region: float, **options):
        ul, et = sirene_generer(etablissements=etablissements, dossier=sortie, part_hors_region=hors_region)
        self.stdout.write(self.style.SUCCESS(f"Écrits : {ul} et {et}"))
