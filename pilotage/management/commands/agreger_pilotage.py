from django.core.management.base import BaseCommand

from pilotage.agregats import agregats_nettoyer, agregats_rafraichir
from pilotage.rechauffage import statistiques_rechauffer


class Command(BaseCommand):
    help = (
        "Recalcule la table des faits agrégés que lisent les pages de statistiques "
        "et réchauffe le cache de leurs vues par défaut (aussi chaque heure ; à lancer après un gros import)."
    )

    def handle(self, *args, **options):
        calcul = agregats_rafraichir()
        agregats_nettoyer()
        self.stdout.write(f"{calcul.lignes} lignes agrégées en {calcul.duree_ms} ms.")
        bilan = statistiques_rechauffer()
        if bilan:
            self.stdout.write(
                f"Cache des statistiques réchauffé : vues par défaut, {bilan.directions} directions, "
                f"{bilan.dispositifs} dispositifs."
            )
