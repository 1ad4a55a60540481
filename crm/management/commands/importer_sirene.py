import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crm.sirene import FichierInvalide, rapport_texte, sirene_importer


class Command(BaseCommand):
    help = (
        "Importe les fichiers SIRENE de l'INSEE (StockUniteLegale et StockEtablissement, CSV) : garde les "
        "établissements des communes de la région et leurs entreprises ; relancer met à jour sans doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unites-legales", required=True, type=Path, help="StockUniteLegale_utf8.csv")
        parser.add_argument("--etablissements", required=True, type=Path, help="StockEtablissement_utf8.csv")

    def handle(self, *args, unites_legales: Path, etablissements: Path, **options):
        unites_legales, etablissements = Path(unites_legales), Path(etablissements)
        for chemin in (unites_legales, etablissements):
            if not chemin.is_file():
                raise CommandError(f"Fichier introuvable : {chemin}")
        debut = time.monotonic()
        try:
            rapport = sirene_importer(
                unites_legales=unites_legales,
                etablissements=etablissements,
                rapporter=lambda message: self.stdout.write(message),
            )
        except FichierInvalide as erreur:
            raise CommandError(str(erreur)) from erreur
        self.stdout.write(rapport_texte(rapport))
        self.stdout.write(self.style.SUCCESS(f"Import terminé en {time.monotonic() - debut:.1f} s."))
