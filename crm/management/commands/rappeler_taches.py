from django.core.management.base import BaseCommand

from crm.services import taches_rappeler


class Command(BaseCommand):
    help = "Envoie à chaque agent ses suites à donner du jour et en retard (une fois par jour)."

    def handle(self, *args, **options):
        self.stdout.write(f"{taches_rappeler()} courriel(s) écrit(s).")
