"""The company timeline: events gathered from several sources, newest first.

Each source is a function `source(entreprise) -> list[Evenement]` running a fixed number of queries.
Other apps add theirs in their AppConfig.ready(): `crm.timeline.source_enregistrer(ma_source)`
(aides will add applications, aids granted and conventions). The CRM never imports them.
"""

from collections.abc import Callable
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


def evenements_aller_retour(
    objet, *, genre: str, url: str, directions: list[str], depart: dict, retour: dict | None
) -> list[Evenement]:
    """The events of something sent then answered (an application and its decision, a referral and
    the partner's answer): `depart` and `retour` (None while unanswered) hold what differs
    (quand, libelle, titre, resume, personnes); the rest is shared."""
    commun = {"genre": genre, "url": url, "directions": directions, "objet": objet}
    return [Evenement(**commun, **depart)] + ([Evenement(**commun, **retour)] if retour is not None else [])


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
