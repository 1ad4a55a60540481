from django.core.management.base import BaseCommand

from aides.demandes.documents import fichiers_en_attente_purger


class Command(BaseCommand):
    help = "Supprime les fichiers joints à des réponses jamais renvoyées (plus d'un jour)."

    def handle(self, *args, **options):
        supprimes = fichiers_en_attente_purger()
        self.stdout.write(self.style.SUCCESS(f"{supprimes} fichier(s) en attente supprimé(s)."))
