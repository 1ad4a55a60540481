"""Print the current TOTP code of the demo agents (DEBUG only, like the demo data itself)."""

from base64 import b32decode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from portal.double_facteur import SECRET_DEMO


class Command(BaseCommand):
    help = "Affiche le code à 6 chiffres du moment pour les comptes agents de démonstration."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Le secret de démonstration est refusé quand DEBUG est désactivé.")
        self.stdout.write(f"{totp(b32decode(SECRET_DEMO)):06d}")
