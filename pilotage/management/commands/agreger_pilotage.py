from django.core.management.base import BaseCommand

from pilotage.agregats import agregats_nettoyer, agregats_rafraichir


class Command(BaseCommand):
    help = (
        "Recalcule la table des faits agrégés que lisent les pages de statistiques "
        "(aussi chaque heure ; à lancer après un gros import)."
    )

    def handle(self, *args, **options):
        calcul = agregats_rafraichir()
        agregats_nettoyer()
        self.stdout.write(f"{calcul.lignes} lignes agrégées en {calcul.duree_ms} ms.")
