"""A state machine written once: the transition table of an object type and the actions it allows.

Each stateful object type (application, aid convention, payment request, EPCI convention, request)
declares one `Machine` in its app's `actions` module. Its services refuse a move or an action whose
state is not in the machine (`transitions[de]`, `actions[nom]`), and its `actions_*(user, objet)`
function (the one views and templates ask) starts from `actions_de(etat)`: no other place lists which
state allows what.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Machine:
    """`transitions`: state → states it may move to. `actions`: action name → the states it starts
    from; an action that is a move is declared with `Machine.depuis(vers)`."""

    nom: str  # « La demande », « La convention »: the subject of the French messages
    libelles: Mapping[str, str]  # state value → its label (a TextChoices' `dict(choices)`)
    transitions: Mapping[str, frozenset[str]]
    actions: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def depuis(self, *cibles: str) -> frozenset[str]:
        return depuis(self.transitions, *cibles)

    def suivants(self, etat: str) -> list[str]:
        """The states `etat` may move to, in the order of the states' declaration (for a form's choices)."""
        return [e for e in self.libelles if e in self.transitions.get(etat, frozenset())]

    def actions_de(self, etat: str) -> set[str]:
        return {nom for nom, etats in self.actions.items() if etat in etats}

    def libelle(self, etat: str) -> str:
        return str(self.libelles.get(etat, etat)).lower()

    def verifier_transition(self, de: str, vers: str) -> None:
        """Raise a French ValidationError when the table has no move from `de` to `vers`."""
        if vers not in self.transitions.get(de, frozenset()):
            raise ValidationError(
                f"{self.nom} est « {self.libelle(de)} » : le passage à « {self.libelle(vers)} » n'est pas permis."
            )


def table(lignes: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    return {de: frozenset(vers) for de, vers in lignes.items()}


def depuis(transitions: Mapping[str, Iterable[str]], *cibles: str) -> frozenset[str]:
    """The states a transition table lets move to one of `cibles`."""
    return frozenset(de for de, vers in transitions.items() if set(vers) & set(cibles))


# Model label → its `actions_permises` function, for the `{% actions objet as a %}` template tag
# (dotted paths: portal does not import the apps).
FONCTIONS = {
    "aides.Versement": "aides.conventions.actions.actions_versement",
    "aides.AppelDeFonds": "aides.conventions.actions.actions_appel",
    "aides.DemandeVersement": "aides.conventions.actions.actions_demande_versement",
    "aides.RapportFinal": "aides.conventions.actions.actions_rapport",
    "aides.ConventionAide": "aides.conventions.actions.actions_convention",
}
# Those that also answer for a company member (`membre`), the others are staff-only.
AVEC_MEMBRE = {"aides.DemandeVersement", "aides.RapportFinal", "aides.ConventionAide"}


def actions_permises(user, objet, *, membre=None) -> set[str]:
    """What `user` (acting for the company `membre`, on the company's pages) may do with `objet`."""
    if not objet:  # a missing related object resolves to "" in templates
        return set()
    label = objet._meta.label
    fonction = import_string(FONCTIONS[label])
    if label in AVEC_MEMBRE:
        return fonction(user, objet, membre=membre)
    return fonction(user, objet) if membre is None else set()
