"""Render now the deposit receipts still missing (the same job as the periodic task
aides.tasks.recepisses_relancer, without Celery)."""

from django.core.management.base import BaseCommand

from aides.demandes.recepisse import recepisse_generer, recepisses_manquants


class Command(BaseCommand):
    help = "Génère les récépissés de dépôt manquants."

    def add_arguments(self, parser):
        parser.add_argument("--lot", type=int, default=200, help="Nombre maximal de récépissés (défaut : 200).")

    def handle(self, *args, lot: int, **options):
        generes = sum(
            recepisse_generer(demande_id=pk) for pk in recepisses_manquants().values_list("pk", flat=True)[:lot]
        )
        self.stdout.write(f"{generes} récépissé(s) généré(s).")
