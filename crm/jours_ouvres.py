"""Working days in France: no Saturday, Sunday or public holiday (metropolitan calendar)."""

from datetime import date, datetime, timedelta
from functools import cache

import holidays


@cache
def _feries(annee: int) -> frozenset[date]:
    return frozenset(holidays.France(years=annee))


def est_ouvre(jour: date) -> bool:
    return jour.weekday() < 5 and jour not in _feries(jour.year)


def retirer_jours_ouvres(moment: datetime, nombre: int) -> datetime:
    """The moment `nombre` working days before `moment` (same time of day).

    A request made at that moment or earlier has waited at least `nombre` working days.
    """
    resultat = moment
    restants = nombre
    while restants > 0:
        resultat -= timedelta(days=1)
        if est_ouvre(resultat.date()):
            restants -= 1
    return resultat


def jours_ouvres_entre(debut: date, fin: date) -> int:
    """Working days elapsed from `debut` to `fin` (a request made on Friday and answered Monday: 1)."""
    if fin <= debut:
        return 0
    jours = 0
    jour = debut
    while jour < fin:
        jour += timedelta(days=1)
        if est_ouvre(jour):
            jours += 1
    return jours
