"""The SQL helpers of pilotage's figures: run a query into dicts, keep a result in the cache,
round and divide the way the pages show."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from .agregats import agregats_calcules_le

PARIS = ZoneInfo("Europe/Paris")
TZ = "'Europe/Paris'"


def debut_annee(annee: int) -> datetime:
    return datetime.combine(date(annee, 1, 1), time.min, tzinfo=PARIS)


# The distinct counts and percentiles sort tens of thousands of rows: in memory, not on disk (the
# default 4 MB spills). Without JIT: a percentile reads each row `nombre` times through
# generate_series, which the planner estimates at 1,000 rows a call; the inflated cost would switch
# JIT compilation on (seconds of compiling for a query of tens of milliseconds). SET LOCAL lasts
# until the end of the transaction opened for the query.
MEMOIRE_TRI = "64MB"


def lignes(sql: str, parametres: dict | list | None = None, *, gros_tri: bool = False) -> list[dict]:
    if gros_tri:
        # The settings and the query in one round trip (psycopg2 sends the statements together); in
        # a transaction already open (a request's, a test's), no savepoint: the settings then last
        # until its end, harmless for the reads that follow.
        prefixe = f"SET LOCAL work_mem = '{MEMOIRE_TRI}'; SET LOCAL jit = off; "
        with transaction.atomic(savepoint=False), connection.cursor() as curseur:
            return executer(curseur, prefixe + sql, parametres)
    with connection.cursor() as curseur:
        return executer(curseur, sql, parametres)


def executer(curseur, sql: str, parametres) -> list[dict]:
    curseur.execute(sql, parametres or {})
    noms = [colonne.name for colonne in curseur.description]
    return [dict(zip(noms, ligne, strict=True)) for ligne in curseur.fetchall()]


def en_cache(cle: str, calcul):
    """Keep a computed result STATISTIQUES_CACHE_SECONDES (0: never), under the date of the table
    of facts it was read from: a rebuild of the table is seen at once."""
    duree = settings.STATISTIQUES_CACHE_SECONDES
    if not duree:
        return calcul()
    version = agregats_calcules_le()
    cle = f"pilotage:{version.timestamp() if version else 0}:{cle}"
    valeur = cache.get(cle)
    if valeur is None:
        valeur = calcul()
        cache.set(cle, valeur, duree)
    return valeur


def ligne(sql: str, parametres: dict | None = None, *, gros_tri: bool = False) -> dict:
    return lignes(sql, parametres, gros_tri=gros_tri)[0]


def arrondi(valeur: float | None) -> float | None:
    """percentile_cont works in double precision: 24.000000000000004 reads 24.0."""
    return None if valeur is None else round(valeur, 1)


def taux(numerateur, denominateur) -> float | None:
    return round(float(numerateur) * 100 / float(denominateur), 1) if denominateur else None
