"""What a partner's member may do with a request the Région oriented to their structure, in its
current state: the transition table, written once (the services enforce it, the page asks
`actions_orientation` and compares no state to a string)."""

from portal.transitions import Machine, depuis, table

from .models import Adhesion, Orientation

Statut = Orientation.Statut
_REPONSES = {Statut.TRAITEE, Statut.PAS_POUR_NOUS}
_TRANSITIONS = table(
    {
        Statut.TRANSMISE: {Statut.PRISE_EN_CHARGE} | _REPONSES,
        Statut.PRISE_EN_CHARGE: _REPONSES,
        Statut.TRAITEE: set(),
        Statut.PAS_POUR_NOUS: set(),
    }
)
MACHINE_ORIENTATION = Machine(
    nom="La demande",
    libelles=dict(Statut.choices),
    transitions=_TRANSITIONS,
    actions={
        "prendre": depuis(_TRANSITIONS, Statut.PRISE_EN_CHARGE),
        "repondre": depuis(_TRANSITIONS, *_REPONSES),
    },
)
REPONSES = frozenset(_REPONSES)


def actions_orientation(user, orientation: Orientation, *, adhesion: Adhesion | None = None) -> set[str]:
    """A member of the structure (`adhesion`, already checked by the page's getter, else looked up)."""
    if adhesion is None:
        membre = Adhesion.objects.filter(utilisateur=user, structure_id=orientation.structure_id).exists()
    else:
        membre = adhesion.utilisateur_id == user.pk and adhesion.structure_id == orientation.structure_id
    return MACHINE_ORIENTATION.actions_de(orientation.statut) if membre else set()
