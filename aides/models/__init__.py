from .demande import (
    STATUTS_DECIDES,
    STATUTS_EN_COURS,
    TRANSITIONS_PERMISES,
    AjoutSeulError,
    Annotation,
    DeclarationDeMinimis,
    Demande,
    DemandeQuerySet,
    LigneDepense,
    Message,
    PieceJointe,
    Statut,
    Transition,
)
from .dispositif import CONFIG_RECHERCHE, Dispositif, DispositifQuerySet
from .espace import Representant

__all__ = [
    "CONFIG_RECHERCHE",
    "STATUTS_DECIDES",
    "STATUTS_EN_COURS",
    "TRANSITIONS_PERMISES",
    "AjoutSeulError",
    "Annotation",
    "DeclarationDeMinimis",
    "Demande",
    "DemandeQuerySet",
    "Dispositif",
    "DispositifQuerySet",
    "LigneDepense",
    "Message",
    "PieceJointe",
    "Representant",
    "Statut",
    "Transition",
]
