"""The company timeline: events gathered from several sources, newest first.

Each source is a function `source(entreprise) -> list[Evenement]` running a fixed number of queries.
Other apps add theirs in their AppConfig.ready(): `crm.timeline.source_enregistrer(ma_source)`
(aides will add applications, aids granted and conventions). The CRM never imports them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

_SOURCES: list[Callable] = []


@dataclass
class Evenement:
    quand: datetime
    genre: str  # "interaction", "sollicitation", "demande"... (CSS class and filter)
    libelle: str  # "Visite", "Demande reçue"...
    titre: str
    url: str = ""
    directions: list[str] = field(default_factory=list)
    personnes: list[str] = field(default_factory=list)
    resume: str = ""
    objet: Any = None
    gabarit: str = "crm/evenements/_defaut.html"

    @property
    def date_affichee(self) -> date:
        return timezone.localdate(self.quand)


@dataclass
class Jalon:
    """One of the two events of something sent then answered: what differs between them."""

    quand: datetime
    libelle: str
    titre: str
    resume: str = ""
    personnes: list[str] = field(default_factory=list)


def evenements_aller_retour(
    objets: Iterable,
    *,
    genre: str,
    url: Callable[[Any], str],
    directions: Callable[[Any], list[str]],
    depart: Callable[[Any], Jalon],
    retour: Callable[[Any], Jalon | None],
) -> list[Evenement]:
    """The events of things sent then answered (an application and its decision, a referral and the
    partner's answer): for each object, its sending (`depart`) and, once answered, the answer
    (`retour` gives None before); both share the kind, the link (`url`), the directions and the object."""
    evenements = []
    for objet in objets:
        commun = {"genre": genre, "url": url(objet), "directions": directions(objet), "objet": objet}
        for jalon in (depart(objet), retour(objet)):
            if jalon is not None:
                evenements.append(Evenement(**commun, **vars(jalon)))
    return evenements


def moment(jour: date | datetime) -> datetime:
    """A date (no time) sorts as the end of that day in Paris time."""
    if isinstance(jour, datetime):
        return jour
    return timezone.make_aware(datetime.combine(jour, time(23, 59)))


def source_enregistrer(source: Callable) -> Callable:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def chronologie(entreprise) -> list[Evenement]:
    evenements = [evenement for source in _SOURCES for evenement in source(entreprise)]
    return sorted(evenements, key=lambda e: e.quand, reverse=True)
