"""What a company member or an agent may do with an application (demande) in its current state: the
transition table of `aides.demandes.models.demande`, written once.

The services check their moves against `MACHINE_DEMANDE`; views and templates ask `actions_demande`
and never compare a state to a string.
"""

from aides.demandes.models.demande import TRANSITIONS_PERMISES, Demande, Statut
from portal.permissions import peut
from portal.transitions import Machine, depuis, table

_TRANSITIONS = table(TRANSITIONS_PERMISES)
MACHINE_DEMANDE = Machine(
    nom="La demande",
    libelles=dict(Statut.choices),
    transitions=_TRANSITIONS,
    actions={
        # The company edits and deposits its draft, and answers a request for a complement.
        "modifier": depuis(_TRANSITIONS, Statut.DEPOSEE),
        "deposer": depuis(_TRANSITIONS, Statut.DEPOSEE),
        "repondre": depuis(_TRANSITIONS, Statut.EN_INSTRUCTION) & {Statut.COMPLEMENT_DEMANDE},
        # The instructeur starts, asks for a complement, decides.
        "commencer": depuis(_TRANSITIONS, Statut.EN_INSTRUCTION) & {Statut.DEPOSEE},
        "demander_complement": depuis(_TRANSITIONS, Statut.COMPLEMENT_DEMANDE),
        "decider": depuis(_TRANSITIONS, Statut.ACCORDEE, Statut.REFUSEE),
    },
)
ACTIONS_ENTREPRISE = {"modifier", "deposer", "repondre"}
# Assigning and annotating are open in every state to those who instruct.
ACTIONS_INSTRUCTION = {"commencer", "demander_complement", "decider"}
ACTIONS_TOUJOURS = {"assigner", "annoter"}


def actions_demande(user, demande: Demande, *, membre=None) -> set[str]:
    """For a company member (`membre`): edit, deposit, answer. For an agent: instruct."""
    possibles = MACHINE_DEMANDE.actions_de(demande.statut)
    if membre is not None:
        return possibles & ACTIONS_ENTREPRISE if membre.peut_deposer else set()
    if not peut(user, "demande", "instruire"):
        return set()
    return (possibles & ACTIONS_INSTRUCTION) | ACTIONS_TOUJOURS
