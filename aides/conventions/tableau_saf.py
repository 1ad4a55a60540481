"""The SAF dashboard at any volume: its list read through the index, its figures kept in the cache.

The list orders the stalled conventions first (`conventions_tableau`); « stalled » depends on the
time, so no index follows that order and sorting every row took 300 ms at 50,000 conventions.
`BloqueesDabord` gives Paginator the same rows in the same order from two reads that each follow
the index `convention_tableau` (en_cours DESC, etape_depuis, id) and stop after one page: the
stalled ones, then the others. The per-step counts, the delays over the period and the first
applications waiting for a convention are kept in the shared cache under the « saf » generation
(changed on every save of a convention, a step or an application: `portal.cache.saf_modifie`), so
they are always those of the current data; « stalled » is evaluated at the current minute.
"""

from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from aides.conventions.selectors import CompteEtape, Delai, comptes_par_etape, conventions_a_creer, delais_par_etape
from portal.cache import generation

ORDRE_INDEX = ("-en_cours", "etape_depuis", "pk")  # the index convention_tableau


def minute_courante() -> datetime:
    """« Now » for the dashboard: the current minute, the same for its list and its counts."""
    return timezone.now().replace(second=0, microsecond=0)


class BloqueesDabord:
    """A `conventions_tableau` queryset for Paginator: the stalled first, then the others, each part
    read in the index's order. `total` and `bloquees` may be given when already known (the per-step
    counts); otherwise they are counted only when a page needs them."""

    def __init__(self, qs: QuerySet, *, total: int | None = None, bloquees: int | None = None):
        self.qs = qs
        self.bloquees = qs.filter(bloquee=True).order_by(*ORDRE_INDEX)
        self.autres = qs.filter(bloquee=False).order_by(*ORDRE_INDEX)
        self._total = total
        self._nombre_bloquees = bloquees

    def count(self) -> int:
        if self._total is None:
            self._total = self.qs.count()
        return self._total

    def __getitem__(self, tranche: slice) -> list:
        debut, fin = tranche.start or 0, tranche.stop
        connu = self._nombre_bloquees
        lignes = []
        if connu is None or debut < connu:
            lignes = list(self.bloquees[debut:fin])
            if len(lignes) == fin - debut:
                return lignes
            if lignes or debut == 0:  # the stalled ones end on this page
                connu = debut + len(lignes)
        if connu is None:
            connu = self.bloquees.count()
        self._nombre_bloquees = connu
        return lignes + list(self.autres[max(0, debut - connu) : fin - connu])


def _memoriser(nom: str, parties: tuple, duree: int, calcul):
    version = generation("saf") if duree > 0 else None
    if version is None:
        return calcul()
    cle = f"saf:{version}:{nom}:" + ":".join(str(p) for p in parties)
    valeur = cache.get(cle)
    if valeur is None:
        valeur = calcul()
        cache.set(cle, valeur, duree)
    return valeur


def comptes_courants(
    *, jours_blocage: int, maintenant: datetime, dispositif_id=None, direction_id=None
) -> list[CompteEtape]:
    return _memoriser(
        "comptes",
        (jours_blocage, maintenant.isoformat(), dispositif_id, direction_id),
        min(60, settings.SAF_CACHE_SECONDES),
        lambda: comptes_par_etape(
            jours_blocage=jours_blocage, maintenant=maintenant, dispositif_id=dispositif_id, direction_id=direction_id
        ),
    )


def delais_courants(*, debut: date, fin: date, dispositif_id=None, direction_id=None) -> list[Delai]:
    return _memoriser(
        "delais",
        (debut.isoformat(), fin.isoformat(), dispositif_id, direction_id),
        settings.SAF_CACHE_SECONDES,
        lambda: delais_par_etape(debut=debut, fin=fin, dispositif_id=dispositif_id, direction_id=direction_id),
    )


def premieres_a_creer(nombre: int = 10) -> list:
    return _memoriser("a_creer", (nombre,), settings.SAF_CACHE_SECONDES, lambda: list(conventions_a_creer()[:nombre]))
