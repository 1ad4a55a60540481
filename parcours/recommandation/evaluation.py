from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aides.catalogue.referentiels import Nature, Public, Stade, TailleEntreprise
from parcours import naf
from parcours.profil import THEMATIQUES_PROJET, Maturite, Profil, Projet


@dataclass(frozen=True, slots=True)
class Territoire:
    code_insee: str
    nom: str
    departement: str  # code
    departement_nom: str
    epci_id: int
    epci_nom: str


@dataclass(slots=True, eq=False)
class DispositifVue:
    """What the rules read of a dispositif (loaded once, with its coverage as ids).

    Not frozen on purpose: a frozen dataclass's __init__ costs an object.__setattr__ per field, and
    the whole catalogue (thousands of rows) is built on every load. Treat it as read-only.
    """

    id: int
    nom: str
    slug: str
    resume: str = ""
    nature: str = Nature.SUBVENTION
    thematiques: tuple[str, ...] = ()
    publics: tuple[str, ...] = ()
    stades: tuple[str, ...] = ()
    effectif_min: int | None = None
    effectif_max: int | None = None
    naf_inclus: tuple[str, ...] = ()
    naf_exclus: tuple[str, ...] = ()
    couvre_region: bool = True
    departements: frozenset[str] = frozenset()
    epcis: frozenset[int] = frozenset()
    date_ouverture: datetime.date | None = None
    date_cloture: datetime.date | None = None
    direction_id: int | None = None
    operateur_nom: str = ""
    montant_max: Any = None
    url_depot_externe: str = ""  # set: the aid is applied for on the operator's site


class Motif:
    """Why an aid was set aside; the order is the order the rules are checked in."""

    FERMEE = "fermee"
    A_VENIR = "a_venir"
    TERRITOIRE = "territoire"
    PUBLIC = "public"
    STADE = "stade"
    TAILLE = "taille"
    SECTEUR = "secteur"
    PROJET = "projet"

    LIBELLES = {
        FERMEE: ("aide fermée", "aides fermées"),
        A_VENIR: ("aide pas encore ouverte", "aides pas encore ouvertes"),
        TERRITOIRE: ("aide réservée à un autre territoire", "aides réservées à un autre territoire"),
        PUBLIC: ("aide réservée à un autre public", "aides réservées à d'autres publics"),
        STADE: (
            "aide prévue pour une autre étape de la vie de l'entreprise",
            "aides prévues pour une autre étape de la vie de l'entreprise",
        ),
        TAILLE: ("aide prévue pour une autre taille d'entreprise", "aides prévues pour d'autres tailles d'entreprise"),
        SECTEUR: ("aide réservée à d'autres secteurs d'activité", "aides réservées à d'autres secteurs d'activité"),
        PROJET: ("aide sans lien avec vos projets", "aides sans lien avec vos projets"),
    }

    @classmethod
    def texte(cls, motif: str, nombre: int) -> str:
        singulier, pluriel = cls.LIBELLES[motif]
        return f"{nombre} {singulier if nombre == 1 else pluriel}"


@dataclass(slots=True)
class Recommandation:
    dispositif: DispositifVue
    score: int
    raisons: list[str]
    a_verifier: list[str] = field(default_factory=list)


@dataclass
class Resultat:
    recommandes: list[Recommandation]
    ecartes: Counter

    @property
    def nombre_ecartes(self) -> int:
        return sum(self.ecartes.values())

    @property
    def motif_principal(self) -> str | None:
        return self.ecartes.most_common(1)[0][0] if self.ecartes else None

    def ecartes_lignes(self) -> list[str]:
        """« 12 aides fermées », most frequent reason first."""
        return [Motif.texte(motif, nombre) for motif, nombre in self.ecartes.most_common()]

    def par_id(self) -> dict[int, Recommandation]:
        return {r.dispositif.id: r for r in self.recommandes}


class _Ecartee(Exception):
    def __init__(self, motif: str):
        self.motif = motif


PUBLICS_TAILLE = {Public.TPE, Public.PME, Public.ETI}


# `Choices.values` rebuilds its list on every access: read once here, not for each of thousands of aids.
ORDRE_PUBLICS = tuple(Public.values)


ORDRE_STADES = tuple(Stade.values)


RAISON_PUBLIC = {
    Public.ARTISAN: "destinée aux artisans : vous êtes artisan",
    Public.COMMERCANT: "destinée aux commerçants : vous êtes commerçant",
    Public.ESS: "destinée aux structures de l'économie sociale et solidaire : la vôtre en fait partie",
    Public.STARTUP: "destinée aux start-up innovantes : votre entreprise en est une",
    Public.CREATEUR: "destinée aux créateurs et repreneurs d'entreprise : c'est votre situation",
    Public.TPE: "destinée aux TPE (moins de 10 salariés) : votre entreprise en est une",
    Public.PME: "destinée aux PME (moins de 250 salariés) : votre entreprise en est une",
    Public.ETI: "destinée aux entreprises de taille intermédiaire : votre entreprise en est une",
}


NATURES_MATURITE = {
    Maturite.IDEE: {Nature.ACCOMPAGNEMENT, Nature.SUBVENTION},
    Maturite.PROTOTYPE: {Nature.SUBVENTION, Nature.AVANCE_REMBOURSABLE, Nature.ACCOMPAGNEMENT},
    Maturite.INDUSTRIALISATION: {Nature.PRET, Nature.AVANCE_REMBOURSABLE, Nature.FONDS_PROPRES, Nature.GARANTIE},
}


def _salaries(nombre: int) -> str:
    return f"{nombre} salarié" + ("s" if nombre > 1 else "")


def _regle_effectif(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"réservée aux entreprises de {minimum} à {_salaries(maximum)}"
    if maximum is not None:
        return f"réservée aux entreprises de moins de {_salaries(maximum + 1)}"
    return f"réservée aux entreprises d'au moins {_salaries(minimum)}"


def _vous_en_avez(effectif: int) -> str:
    return "vous n'avez pas de salarié" if effectif == 0 else f"vous en avez {effectif}"


def _date(jour: datetime.date) -> str:
    return jour.strftime("%d/%m/%Y")


def _verifier_dates(d: DispositifVue, jour: datetime.date, raisons: list[str]) -> None:
    if d.date_cloture is not None and d.date_cloture < jour:
        raise _Ecartee(Motif.FERMEE)
    if d.date_ouverture is not None and d.date_ouverture > jour:
        raise _Ecartee(Motif.A_VENIR)
    if d.date_cloture is not None:
        raisons.append(f"ouverte jusqu'au {_date(d.date_cloture)}")


def _verifier_territoire(d: DispositifVue, t: Territoire, raisons: list[str]) -> int:
    if d.couvre_region:
        return 0
    if t.epci_id in d.epcis:
        raisons.append(f"réservée à certaines intercommunalités, dont la vôtre : {t.epci_nom}")
        return 2
    if t.departement in d.departements:
        raisons.append(
            f"réservée au département {t.departement_nom} ({t.departement}) : votre commune, {t.nom}, s'y trouve"
        )
        return 1
    raise _Ecartee(Motif.TERRITOIRE)


def _verifier_public(d: DispositifVue, p: Profil, raisons: list[str], notes: list[str]) -> int:
    if not d.publics:
        return 0
    publics = set(d.publics)
    par_statut = publics & p.publics_statut
    taille_connue = p.publics_taille
    par_taille = publics & taille_connue if taille_connue is not None else set()
    if not par_statut and not par_taille:
        if taille_connue is None and publics & PUBLICS_TAILLE:
            libelles = " ou ".join(sorted(Public(x).label for x in publics & PUBLICS_TAILLE))
            notes.append(f"destinée aux {libelles} : indiquez votre taille pour le vérifier")
            return 0
        raise _Ecartee(Motif.PUBLIC)
    for public in sorted(par_statut, key=ORDRE_PUBLICS.index):
        raisons.append(RAISON_PUBLIC[public])
    if par_taille and not par_statut and len(publics) < len(ORDRE_PUBLICS):
        # Name the narrowest size public that matched (TPE before PME before ETI).
        raisons.append(RAISON_PUBLIC[min(par_taille, key=ORDRE_PUBLICS.index)])
    return 3 * len(par_statut) + (1 if par_taille else 0)


def _verifier_stade(d: DispositifVue, p: Profil, raisons: list[str]) -> int:
    stades_profil = p.stades_catalogue
    if not d.stades or not stades_profil:
        return 0
    communs = set(d.stades) & stades_profil
    if not communs:
        raise _Ecartee(Motif.STADE)
    libelles = ", ".join(f"« {Stade(s).label} »" for s in ORDRE_STADES if s in communs)
    raisons.append(f"prévue pour l'étape {libelles} de la vie de l'entreprise : c'est la vôtre")
    return 2


def _verifier_effectif(d: DispositifVue, p: Profil, raisons: list[str], notes: list[str]) -> int:
    if d.effectif_min is None and d.effectif_max is None:
        return 0
    regle = _regle_effectif(d.effectif_min, d.effectif_max)
    bornes = p.bornes_effectif
    if bornes is None:
        notes.append(f"{regle} : indiquez votre effectif pour le vérifier")
        return 0
    bas, haut = bornes
    minimum = d.effectif_min if d.effectif_min is not None else 0
    maximum = d.effectif_max
    if (haut is not None and haut < minimum) or (maximum is not None and bas > maximum):
        raise _Ecartee(Motif.TAILLE)
    if p.effectif is not None:
        raisons.append(f"{regle} : {_vous_en_avez(p.effectif)}")
        return 1
    tranche = TailleEntreprise(p.taille).label
    entierement = bas >= minimum and (maximum is None or (haut is not None and haut <= maximum))
    if entierement:
        raisons.append(f"{regle} : votre tranche ({tranche}) y correspond")
        return 1
    notes.append(f"{regle} : votre tranche ({tranche}) n'y correspond qu'en partie, précisez votre effectif")
    return 0


def _verifier_secteur(d: DispositifVue, p: Profil, raisons: list[str], notes: list[str]) -> int:
    if not d.naf_inclus and not d.naf_exclus:
        return 0
    if p.naf is None:
        if d.naf_inclus:
            secteurs = ", ".join(naf.libelle(naf.normaliser_naf(e) or e) for e in d.naf_inclus)
            notes.append(f"réservée à certains secteurs ({secteurs}) : indiquez le vôtre pour le vérifier")
        return 0
    for entree in d.naf_exclus:
        couverture = naf.couvre(entree, p.naf)
        if couverture:
            raise _Ecartee(Motif.SECTEUR)
        if couverture is None:
            notes.append(f"exclut {naf.avec_article(naf.normaliser_naf(entree) or entree)} : vérifiez votre code NAF")
    if d.naf_inclus:
        couvertures = [(entree, naf.couvre(entree, p.naf)) for entree in d.naf_inclus]
        couvrantes = [entree for entree, ok in couvertures if ok]
        if couvrantes:
            secteur = naf.a_avec_article(naf.normaliser_naf(couvrantes[0]) or couvrantes[0])
            raisons.append(f"ouverte {secteur} : votre activité en fait partie")
            return 2
        possibles = [entree for entree, ok in couvertures if ok is None]
        if not possibles:
            raise _Ecartee(Motif.SECTEUR)
        secteurs = ", ".join(naf.libelle(naf.normaliser_naf(e) or e) for e in possibles)
        notes.append(f"réservée à certaines activités ({secteurs}) : précisez votre code NAF")
        return 0
    exclus = ", ".join(naf.avec_article(naf.normaliser_naf(e) or e) for e in d.naf_exclus)
    raisons.append(f"ouverte à tous les secteurs sauf {exclus} : votre activité n'en fait pas partie")
    return 0


def _verifier_projets(d: DispositifVue, p: Profil, raisons: list[str]) -> int:
    if not p.projets:
        return 0
    thematiques = set(d.thematiques)
    retenus = []
    for projet in p.projets:
        if projet == Projet.DIFFICULTE:
            if Stade.DIFFICULTE in d.stades:
                retenus.append(projet)
        elif thematiques & THEMATIQUES_PROJET[Projet(projet)]:
            retenus.append(projet)
    if not retenus:
        raise _Ecartee(Motif.PROJET)
    for projet in retenus:
        raisons.append(f"répond à votre projet « {Projet(projet).label} »")
    return 3 * len(retenus)


def _verifier_maturite(d: DispositifVue, p: Profil, raisons: list[str]) -> int:
    if not p.maturite or "innovation" not in d.thematiques:
        return 0
    if d.nature in NATURES_MATURITE[Maturite(p.maturite)]:
        raisons.append(
            f"une aide de type « {Nature(d.nature).label.lower()} » convient à un projet d'innovation "
            f"au stade « {Maturite(p.maturite).label} »"
        )
        return 2
    return -1


def evaluer(d: DispositifVue, p: Profil, t: Territoire, jour: datetime.date) -> Recommandation:
    """Apply every rule to one dispositif; raise `_Ecartee` with the first rule that fails."""
    raisons: list[str] = []
    notes: list[str] = []
    _verifier_dates(d, jour, raisons)
    score = _verifier_territoire(d, t, raisons)
    score += _verifier_public(d, p, raisons, notes)
    score += _verifier_stade(d, p, raisons)
    score += _verifier_effectif(d, p, raisons, notes)
    score += _verifier_secteur(d, p, raisons, notes)
    score += _verifier_projets(d, p, raisons)
    score += _verifier_maturite(d, p, raisons)
    if not raisons:
        raisons.append("ouverte à toutes les entreprises de la région")
    # The project reason is the one a reader looks for first.
    raisons.sort(key=lambda r: not r.startswith("répond à votre projet"))
    return Recommandation(dispositif=d, score=score - len(notes), raisons=raisons, a_verifier=notes)


def recommander(
    profil: Profil,
    dispositifs: Iterable[DispositifVue],
    *,
    territoire: Territoire,
    le: datetime.date | None = None,
) -> Resultat:
    """The aids that fit the profile, best fit first, and how many were set aside for what."""
    jour = le or datetime.date.today()
    recommandes: list[Recommandation] = []
    ecartes: Counter = Counter()
    for dispositif in dispositifs:
        try:
            recommandes.append(evaluer(dispositif, profil, territoire, jour))
        except _Ecartee as ecart:
            ecartes[ecart.motif] += 1
    recommandes.sort(key=lambda r: (-r.score, r.dispositif.nom))
    return Resultat(recommandes=recommandes, ecartes=ecartes)
