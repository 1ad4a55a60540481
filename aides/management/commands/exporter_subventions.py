from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aides.conventions.scdl import annee_publiable, scdl_ecrire


class Command(BaseCommand):
    help = "Données essentielles des subventions (SCDL « subventions » 2.0.1) : conventions de plus de 23 000 €."

    def add_arguments(self, parser):
        parser.add_argument("--annee", type=int, default=timezone.localdate().year, help="année de signature")
        parser.add_argument("--sortie", help="fichier CSV à écrire (par défaut : la sortie standard)")

    def handle(self, *args, annee: int, sortie: str | None, **options):
        try:
            annee = annee_publiable(annee)
        except ValueError as erreur:
            raise CommandError(str(erreur)) from None
        if sortie:
            with open(sortie, "w", encoding="utf-8", newline="") as fichier:
                n = scdl_ecrire(fichier, annee=annee)
            self.stderr.write(f"{n} subvention(s) écrite(s) dans {sortie}.")
        else:
            self.stdout.ending = ""
            n = scdl_ecrire(self.stdout, annee=annee)
            self.stderr.write(f"{n} subvention(s).")
