"""Reads of pilotage: the dashboard's figures."""

from django.utils import timezone

from portal.roles import Role
from portal.tableau import Chiffre

from . import statistiques
from .a_faire import roles
from .formats import euros, jours, nombre, pourcentage


def chiffres_du_perimetre(user) -> tuple[str, list[Chiffre]] | None:
    """The year's figures of the agent's direction; of every direction for pilotage and administrators."""
    toutes = bool(roles(user) & {Role.PILOTAGE, Role.ADMINISTRATEUR})
    if not toutes and not user.direction_id:
        return None
    annee = timezone.localdate().year
    c = statistiques.chiffres_annee(annee=annee, direction_id=None if toutes else user.direction_id)
    titre = f"Chiffres {annee} – " + ("toutes directions" if toutes else f"direction {user.direction.code}")
    return (
        titre,
        [
            Chiffre("Demandes d'aide déposées", nombre(c["deposees"])),
            Chiffre("Aides accordées", nombre(c["accordees"]), f"taux d'accord {pourcentage(c['taux_accord'])}"),
            Chiffre("Montant accordé", euros(c["montant_accorde"])),
            Chiffre("Montant versé", euros(c["montant_verse"])),
            Chiffre("Délai médian du dépôt à la décision", jours(c["delai_decision_median"])),
            Chiffre("Demandes de contact reçues", nombre(c["sollicitations"])),
            Chiffre("Délai médian de réponse aux demandes de contact", jours(c["delai_reponse_median"])),
            Chiffre(
                "Entreprises accompagnées", nombre(c["entreprises"]), "interactions, demandes d'aide ou de contact"
            ),
        ],
    )
