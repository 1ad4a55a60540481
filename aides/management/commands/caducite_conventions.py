from aides.conventions.services.convention import conventions_caduques_marquer
from portal.management.commande_du_jour import CommandeDuJour


class Command(CommandeDuJour):
    help = (
        "Rend caduques les conventions dont la date de caducité est passée sans signature (ou sans versement "
        "demandé) ; même travail que la tâche quotidienne aides.tasks.conventions_caduques_marquer."
    )

    def executer(self, aujourd_hui):
        return f"{conventions_caduques_marquer(aujourd_hui=aujourd_hui)} convention(s) rendue(s) caduque(s)."
