from django.core.management.base import BaseCommand

from territoires.services import liste_echeance_envoyer


class Command(BaseCommand):
    help = "Envoie au pilotage la liste des EPCI sans convention en vigueur pour chaque échéance active à venir."

    def handle(self, *args, **options):
        bilan = liste_echeance_envoyer()
        self.stdout.write(f"{bilan['echeances']} échéance(s) examinée(s), {bilan['emails']} courriel(s) écrit(s).")
