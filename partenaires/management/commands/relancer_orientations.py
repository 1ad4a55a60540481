from django.core.management.base import BaseCommand

from partenaires.services import orientations_relancer


class Command(BaseCommand):
    help = "Relance les partenaires pour les demandes réorientées que personne n'a prises (une fois par jour ouvré)."

    def handle(self, *args, **options):
        envoyees = orientations_relancer()
        self.stdout.write(f"{envoyees} relance(s) envoyée(s).")
