from aides.conventions.services.paiement import rappels_remboursement_envoyer
from portal.management.commande_du_jour import CommandeDuJour


class Command(CommandeDuJour):
    help = (
        "Envoie les rappels avant échéance et les relances après échéance des remboursements (une fois chacun) ; "
        "même travail que la tâche quotidienne aides.tasks.rappels_remboursements."
    )

    def executer(self, aujourd_hui):
        return f"{rappels_remboursement_envoyer(aujourd_hui=aujourd_hui)} rappel(s) de remboursement écrit(s)."
