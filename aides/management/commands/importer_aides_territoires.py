from django.core.management.base import BaseCommand, CommandError

from aides.catalogue.services.aides_territoires import aides_importer, fichier_lire
from portal.models import Direction


class Command(BaseCommand):
    help = (
        "Propose comme brouillons (à relire et publier par un agent) les aides d'un fichier au format de "
        "l'API d'Aides-territoires (/api/aids/). Relançable : une aide déjà importée met à jour son brouillon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fichier", help="fichier JSON : une page de l'API ({\"results\": [...]}) ou une liste d'aides"
        )
        parser.add_argument(
            "--direction", default="DAEN", help="direction pilote des brouillons (code, DAEN par défaut)"
        )
        parser.add_argument(
            "--avec-region", action="store_true", help="importer aussi les aides financées par la seule Région"
        )

    def handle(self, *args, fichier: str, direction: str, avec_region: bool, **options):
        try:
            donnees = fichier_lire(fichier)
        except (OSError, ValueError) as erreur:
            raise CommandError(f"Lecture de {fichier} impossible : {erreur}") from erreur
        pilote = Direction.objects.filter(code=direction).first()
        if pilote is None:
            raise CommandError(f"Direction « {direction} » inconnue.")
        bilan = aides_importer(donnees, direction=pilote, avec_region=avec_region)
        for ligne in bilan.ecartes:
            self.stdout.write(f"  écartée : {ligne}")
        self.stdout.write(
            f"{bilan.crees} brouillon(s) créé(s), {bilan.mis_a_jour} mis à jour, {bilan.inchanges} inchangé(s), "
            f"{len(bilan.ecartes)} écartée(s)."
        )
