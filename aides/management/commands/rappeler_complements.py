from django.core.management.base import BaseCommand

from aides.demandes.services.demande import complements_rappeler


class Command(BaseCommand):
    help = "Rappelle aux entreprises les compléments attendus dont l'échéance approche (une fois chacun)."

    def handle(self, *args, **options):
        self.stdout.write(f"{complements_rappeler()} rappel(s) écrit(s).")
