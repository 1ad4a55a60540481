"""Synonyms and related words of the domain, for the catalogue search.

Why a table in code and not a PostgreSQL synonym/thesaurus dictionary: a dictionary reads its file
from the server's `$SHAREDIR/tsearch_data/`, which a migration cannot write (managed PostgreSQL
services do not allow it at all), and changing it means re-indexing. Expanding the query instead
keeps the index as is, works on any server, and lets a test table pin the behaviour. Each group is
symmetric: a word typed finds the aids using any word of its group. Words are stemmed by the French
configuration at query time, so one form per word is enough (« exporter » finds « export »).
Keep groups tight: « vie » is not a synonym of export (it would match « qualité de vie »).
"""

from territoires.normalisation import normaliser

GROUPES: list[list[str]] = [
    ["export", "exportation", "exporter", "exportateur", "international", "volontariat international"],
    ["embauche", "embaucher", "recrutement", "recruter", "recrue"],
    ["numérique", "digital", "digitalisation", "numérisation", "numériser", "digitaliser"],
    ["reprise", "reprendre", "repreneur", "transmission", "transmettre", "cession"],
    ["création", "créer", "créateur", "démarrage"],
    ["implantation", "implanter", "extension", "agrandissement", "agrandir"],
    ["écologique", "environnement", "environnemental", "décarbonation", "décarboner"],
    ["formation", "former", "compétences"],
]

_PAR_MOT: dict[str, list[str]] = {}
for _groupe in GROUPES:
    for _mot in _groupe:
        _PAR_MOT.setdefault(normaliser(_mot), [])
        _PAR_MOT[normaliser(_mot)].extend(m for m in _groupe if m not in _PAR_MOT[normaliser(_mot)])


def synonymes(mot: str) -> list[str]:
    """The other words of the word's groups (accents and case ignored); [] when it has none."""
    return [m for m in _PAR_MOT.get(normaliser(mot), []) if normaliser(m) != normaliser(mot)]
