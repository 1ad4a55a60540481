"""What an agent may do with an EPCI convention in its current state: the manual steps' transition
table, written once (the service enforces it, the detail page offers its moves, no template compares
a state to a string). « En vigueur » and « expirée » follow the dates and are never set by hand."""

from portal.transitions import Machine, table

from .acces import peut_modifier_conventions
from .models import ConventionTerritoriale

Statut = ConventionTerritoriale.Statut

_TRANSITIONS = table(
    {
        Statut.PROJET: {Statut.EN_NEGOCIATION},
        Statut.EN_NEGOCIATION: {Statut.PROJET, Statut.SIGNEE},
        Statut.SIGNEE: {Statut.RESILIEE},
        Statut.RESILIEE: set(),
    }
)
MACHINE_CONVENTION_EPCI = Machine(
    nom="La convention",
    libelles=dict(Statut.choices),
    transitions=_TRANSITIONS,
    actions={
        # Dates, signatories, commitments and documents are kept up to date in every state.
        "modifier": frozenset(Statut),
        "changer_statut": frozenset(de for de, vers in _TRANSITIONS.items() if vers),
    },
)


def actions_convention_epci(user, convention: ConventionTerritoriale) -> set[str]:
    """Pilotage, or a chargé de mission assigned to the EPCI, modifies it and moves it along the table."""
    if not peut_modifier_conventions(user, convention.epci):
        return set()
    return MACHINE_CONVENTION_EPCI.actions_de(convention.statut)


def statuts_suivants(convention: ConventionTerritoriale) -> list[tuple[str, str]]:
    """The steps the convention may move to, as form choices."""
    return [(s, Statut(s).label) for s in MACHINE_CONVENTION_EPCI.suivants(convention.statut)]
