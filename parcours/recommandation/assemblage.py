from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parcours.profil import Profil
from parcours.recommandation.evaluation import Recommandation, Resultat


@dataclass(frozen=True, slots=True)
class EtapeVue:
    ordre: int
    type: str
    type_libelle: str
    titre: str
    texte: str = ""
    operateurs: str = ""
    dispositif_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class ParcoursVue:
    id: int
    nom: str
    slug: str
    description: str = ""
    direction_id: int | None = None
    ordre: int = 0
    stades: tuple[str, ...] = ()
    projets: tuple[str, ...] = ()
    statuts: tuple[str, ...] = ()
    tailles: tuple[str, ...] = ()
    maturites: tuple[str, ...] = ()
    etapes: tuple[EtapeVue, ...] = ()


@dataclass
class EtapeProposee:
    etape: EtapeVue
    recommandations: list[Recommandation]


@dataclass
class ParcoursPropose:
    parcours: ParcoursVue
    etapes: list[EtapeProposee]
    pertinence: int


@dataclass
class Assemblage:
    parcours: list[ParcoursPropose]
    autres: list[Recommandation]

    @property
    def principal(self) -> ParcoursPropose | None:
        return self.parcours[0] if self.parcours else None


def parcours_pertinence(parcours: ParcoursVue, profil: Profil) -> int | None:
    """None when the profile fails one of the template's conditions; else how specific the match is."""
    pertinence = 0
    for condition, valeurs in (
        (parcours.stades, {profil.stade} if profil.stade else set()),
        (parcours.tailles, {profil.taille} if profil.taille else set()),
        (parcours.statuts, set(profil.statuts)),
        (parcours.projets, set(profil.projets)),
        (parcours.maturites, {profil.maturite} if profil.maturite else set()),
    ):
        if not condition:
            continue
        communs = set(condition) & valeurs
        if not communs:
            return None
        pertinence += len(communs)
    return pertinence


def assembler(
    profil: Profil, resultat: Resultat, parcours_types: Sequence[ParcoursVue], *, maximum: int = 3
) -> Assemblage:
    """Fill the matching parcours templates' steps with the recommended aids; the rest are « autres »."""
    par_id = resultat.par_id()
    candidats = []
    for parcours in parcours_types:
        pertinence = parcours_pertinence(parcours, profil)
        if pertinence is not None:
            candidats.append((pertinence, parcours))
    candidats.sort(key=lambda c: (-c[0], c[1].ordre, c[1].nom))
    proposes = []
    places: set[int] = set()
    for pertinence, parcours in candidats[:maximum]:
        etapes = []
        for etape in sorted(parcours.etapes, key=lambda e: e.ordre):
            recommandations = sorted(
                (par_id[i] for i in etape.dispositif_ids if i in par_id),
                key=lambda r: (-r.score, r.dispositif.nom),
            )
            places.update(r.dispositif.id for r in recommandations)
            etapes.append(EtapeProposee(etape=etape, recommandations=recommandations))
        proposes.append(ParcoursPropose(parcours=parcours, etapes=etapes, pertinence=pertinence))
    autres = [r for r in resultat.recommandes if r.dispositif.id not in places]
    return Assemblage(parcours=proposes, autres=autres)
