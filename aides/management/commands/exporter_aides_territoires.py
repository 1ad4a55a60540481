import json
import sys

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.selectors import avec_territoires
from aides.catalogue.services.aides_territoires import catalogue_exporter


class Command(BaseCommand):
    help = "Exporte les aides publiées au format de l'API d'Aides-territoires (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--sortie", help="fichier à écrire (sortie standard par défaut)")

    def handle(self, *args, sortie: str | None, **options):
        dispositifs = avec_territoires(Dispositif.objects.publies().select_related("direction").order_by("pk"))
        texte = json.dumps(catalogue_exporter(dispositifs), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if sortie:
            with open(sortie, "w", encoding="utf-8") as fichier:
                fichier.write(texte)
            self.stdout.write(f"{json.loads(texte)['count']} aide(s) écrite(s) dans {sortie}.")
        else:
            sys.stdout.write(texte + "\n")
