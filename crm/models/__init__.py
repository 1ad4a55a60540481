from .entreprise import Accompagnement, ChangementReferent, Entreprise, Etablissement
from .personne import Contact, Structure
from .revue import DocumentRevue, PointRevue
from .structure_financement import FinancementStructure, Indicateur
from .suivi import Interaction, Sollicitation, Tache

__all__ = [
    "Accompagnement",
    "ChangementReferent",
    "Contact",
    "DocumentRevue",
    "Entreprise",
    "Etablissement",
    "FinancementStructure",
    "Indicateur",
    "Interaction",
    "PointRevue",
    "Sollicitation",
    "Structure",
    "Tache",
]
