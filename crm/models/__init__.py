from .entreprise import Accompagnement, ChangementReferent, Entreprise, Etablissement
from .personne import Contact, Structure
from .suivi import Interaction, Sollicitation, Tache

__all__ = [
    "Accompagnement",
    "ChangementReferent",
    "Contact",
    "Entreprise",
    "Etablissement",
    "Interaction",
    "Sollicitation",
    "Structure",
    "Tache",
]
