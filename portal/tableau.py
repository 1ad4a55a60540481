"""The staff dashboard /agents/: what each agent must act on today, then the figures of their scope.

The dashboard is built from registered blocks; portal imports none of the apps. A block is a
function `bloc(user) -> list[AFaire]` running at most one or two queries and returning nothing for a
role it does not concern. Apps register theirs in their AppConfig.ready():
`portal.tableau.bloc_enregistrer(mon_bloc)` (pilotage registers the requests, instruction, SAF and
EPCI-convention blocks; the company-members work registers « Rattachements à vérifier » the same
way, see SLOT_RATTACHEMENTS). Figures blocks register with `chiffres_enregistrer`.
"""

from collections.abc import Callable
from dataclasses import dataclass

# The block the company-members work (issue 11) adds: the attachments of users to companies that
# staff must verify, linking to their filtered list. Registered like any other block.
SLOT_RATTACHEMENTS = "rattachements_a_verifier"


@dataclass
class AFaire:
    code: str  # stable identifier (tests, CSS)
    libelle: str  # « Demandes reçues en retard »
    nombre: int
    url: str  # the filtered list showing exactly these rows
    detail: str = ""  # « non prises en charge après 2 jours ouvrés… »
    urgent: bool = False


@dataclass
class Chiffre:
    libelle: str
    valeur: str
    detail: str = ""


_BLOCS: list[Callable] = []
_CHIFFRES: list[Callable] = []


def bloc_enregistrer(bloc: Callable) -> Callable:
    if bloc not in _BLOCS:
        _BLOCS.append(bloc)
    return bloc


def chiffres_enregistrer(source: Callable) -> Callable:
    if source not in _CHIFFRES:
        _CHIFFRES.append(source)
    return source


def a_faire(user) -> list[AFaire]:
    return [element for bloc in _BLOCS for element in bloc(user)]


def chiffres(user) -> list[tuple[str, list[Chiffre]]]:
    """(title, figures) per registered source, sources that have nothing for the user left out."""
    resultats = []
    for source in _CHIFFRES:
        titre_et_chiffres = source(user)
        if titre_et_chiffres:
            resultats.append(titre_et_chiffres)
    return resultats
