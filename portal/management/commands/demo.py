"""Demo data for a developer's machine: `manage.py demo` (idempotent, refused when DEBUG is off).

Each app may ship a `demo` module with a `charger(stdout)` function; they run in the order of
INSTALLED_APPS, so an app's demo can rely on the apps listed before it.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo import MOT_DE_PASSE_DEMO
from portal.double_facteur import SECRET_DEMO, appareil_demo_creer
from portal.models import User

DOMAINE_DEMO = "@demo.hautsdefrance.fr"


class Command(BaseCommand):
    help = "Crée les données de démonstration (comptes par rôle, puis les données de chaque application)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Les données de démonstration sont refusées quand DEBUG est désactivé "
                "(elles créent des comptes au mot de passe connu)."
            )
        for config in apps.get_app_configs():
            nom_module = f"{config.name}.demo"
            if find_spec(nom_module) is None:
                continue
            with transaction.atomic():
                import_module(nom_module).charger(self.stdout)
        # Demo only: every demo agent gets the documented TOTP secret (refused when DEBUG is off).
        for agent in User.objects.filter(is_staff=True, email__endswith=DOMAINE_DEMO):
            appareil_demo_creer(agent)
        self.stdout.write(
            self.style.SUCCESS(
                f"Données de démonstration prêtes. Mot de passe de tous les comptes : {MOT_DE_PASSE_DEMO}\n"
                "Second facteur des agents de démonstration (démo seulement) : dans une application "
                f"d'authentification, ajoutez la clé {SECRET_DEMO} (TOTP, 6 chiffres, 30 s), "
                "ou lancez `manage.py code_demo`, qui affiche le code du moment."
            )
        )
