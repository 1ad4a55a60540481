"""What an agent may do with a request (« Être contacté », entered by staff or sent by a partner) in
its current state: the transition table, written once (the services enforce it, the page asks
`actions_sollicitation` and compares no state to a string)."""

from portal.permissions import peut_traiter_sollicitation
from portal.transitions import Machine, depuis, table

from .models import Sollicitation

Statut = Sollicitation.Statut
_FINS = {Statut.REPONDUE, Statut.REORIENTEE, Statut.CLOSE}
_TRANSITIONS = table(
    {
        Statut.NOUVELLE: {Statut.PRISE_EN_CHARGE} | _FINS,
        Statut.PRISE_EN_CHARGE: _FINS,
        Statut.REPONDUE: set(),
        Statut.REORIENTEE: set(),
        Statut.CLOSE: set(),
    }
)
MACHINE_SOLLICITATION = Machine(
    nom="La demande",
    libelles=dict(Statut.choices),
    transitions=_TRANSITIONS,
    actions={
        "prendre": depuis(_TRANSITIONS, Statut.PRISE_EN_CHARGE),
        "repondre": depuis(_TRANSITIONS, Statut.REPONDUE),
        "reorienter": depuis(_TRANSITIONS, Statut.REORIENTEE),
        "clore": depuis(_TRANSITIONS, Statut.CLOSE),
    },
)


def actions_sollicitation(user, sollicitation: Sollicitation) -> set[str]:
    """Its assignees, their direction, or pilotage (`peut_traiter_sollicitation`), as its state allows."""
    possibles = MACHINE_SOLLICITATION.actions_de(sollicitation.statut)
    if not possibles or not peut_traiter_sollicitation(user, sollicitation):
        return set()
    return possibles
