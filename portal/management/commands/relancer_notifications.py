"""`manage.py relancer_notifications`: the outbox part of the sweep that Celery beat runs every minute."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from portal.services import AGE_MINIMUM_RELANCE, notifications_relancer


class Command(BaseCommand):
    help = "Renvoie à Celery les notifications encore en attente (courtier indisponible, tâche perdue…)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--age-minimum",
            type=int,
            default=int(AGE_MINIMUM_RELANCE.total_seconds()),
            help="Ne relancer que les notifications créées depuis au moins ce nombre de secondes "
            "(défaut : %(default)s).",
        )

    def handle(self, *args, age_minimum: int, **options):
        nombre = notifications_relancer(age_minimum=timedelta(seconds=age_minimum))
        self.stdout.write(f"{nombre} notification(s) renvoyée(s) à Celery.")
