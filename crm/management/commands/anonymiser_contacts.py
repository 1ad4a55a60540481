from django.core.management.base import BaseCommand

from crm.services import contacts_anonymiser


class Command(BaseCommand):
    help = "Anonymise les contacts dont la date de conservation est dépassée (même travail que la tâche périodique)."

    def handle(self, *args, **options):
        nombre = contacts_anonymiser()
        self.stdout.write(f"{nombre} contact(s) anonymisé(s).")
