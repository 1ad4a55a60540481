"""The company's profile: the answers to the parcours questions, read from the URL.

The answers live in the query string so the result page is a permalink; `Profil` is the validated,
immutable form of them, and knows how to translate itself into the catalogue's vocabularies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db import models

from aides.catalogue.referentiels import BORNES_TAILLE, Public, Stade, TailleEntreprise, Thematique

from . import naf


class StadeEntreprise(models.TextChoices):
    PROJET = "projet", "Projet de création (pas encore de SIRET)"
    RECENTE = "recente", "Création récente (moins de 3 ans)"
    DEVELOPPEMENT = "developpement", "En développement"
    TRANSMISSION = "transmission", "Transmission ou reprise"
    DIFFICULTE = "difficulte", "En difficulté"


class Statut(models.TextChoices):
    ARTISAN = "artisan", "Artisan (inscrit au registre des métiers)"
    COMMERCANT = "commercant", "Commerçant"
    ESS = "ess", "Structure de l'économie sociale et solidaire (ESS)"
    STARTUP = "startup", "Start-up innovante"


class Projet(models.TextChoices):
    CREER = "creer", "Créer ou reprendre une entreprise"
    INVESTIR = "investir", "Investir (matériel, locaux, développement)"
    INNOVER = "innover", "Innover"
    EXPORTER = "exporter", "Exporter"
    RECRUTER = "recruter", "Recruter"
    FORMER = "former", "Former mes salariés ou me former"
    NUMERISER = "numeriser", "Me numériser"
    TRANSITION = "transition", "Réussir ma transition écologique"
    IMPLANTER = "implanter", "M'implanter ou m'agrandir dans la région"
    DIFFICULTE = "difficulte", "Traverser une difficulté"


class Maturite(models.TextChoices):
    IDEE = "idee", "Idée"
    PROTOTYPE = "prototype", "Prototype"
    INDUSTRIALISATION = "industrialisation", "Industrialisation et mise sur le marché"


STADES_CATALOGUE = {
    StadeEntreprise.PROJET: {Stade.CREATION},
    # A young company still counts as a creation for most aids, and already develops.
    StadeEntreprise.RECENTE: {Stade.CREATION, Stade.DEVELOPPEMENT},
    StadeEntreprise.DEVELOPPEMENT: {Stade.DEVELOPPEMENT},
    StadeEntreprise.TRANSMISSION: {Stade.TRANSMISSION},
    StadeEntreprise.DIFFICULTE: {Stade.DIFFICULTE},
}

THEMATIQUES_PROJET = {
    Projet.CREER: {Thematique.CREATION_REPRISE},
    Projet.INVESTIR: {Thematique.TPE_PROXIMITE, Thematique.FILIERES},
    Projet.INNOVER: {Thematique.INNOVATION},
    Projet.EXPORTER: {Thematique.EXPORT_ATTRACTIVITE},
    Projet.RECRUTER: {Thematique.EMPLOI_RH},
    Projet.FORMER: {Thematique.FORMATION},
    Projet.NUMERISER: {Thematique.NUMERIQUE},
    Projet.TRANSITION: {Thematique.TRANSITION_ECOLOGIQUE},
    # Settling or growing here is not exporting: its own aids (implantation, foreign investors).
    Projet.IMPLANTER: {Thematique.IMPLANTATION},
    # Difficulty is a stage of the company rather than a theme: matched on the aids' stages.
    Projet.DIFFICULTE: set(),
}

PUBLIC_STATUT = {
    Statut.ARTISAN: Public.ARTISAN,
    Statut.COMMERCANT: Public.COMMERCANT,
    Statut.ESS: Public.ESS,
    Statut.STARTUP: Public.STARTUP,
}


def taille_de_effectif(effectif: int) -> str:
    for taille, (minimum, maximum) in BORNES_TAILLE.items():
        if effectif >= minimum and (maximum is None or effectif <= maximum):
            return taille.value
    raise ValueError(effectif)  # pragma: no cover - the bands cover every integer ≥ 0


@dataclass(frozen=True)
class Profil:
    commune: str
    stade: str | None = None
    taille: str | None = None
    effectif: int | None = None
    naf: str | None = None
    statuts: tuple[str, ...] = field(default_factory=tuple)
    projets: tuple[str, ...] = field(default_factory=tuple)
    maturite: str | None = None

    def __post_init__(self):
        # One canonical form whatever the order of the answers: the permalink and the parcours
        # conditions depend on it.
        object.__setattr__(self, "statuts", tuple(sorted(set(self.statuts))))
        object.__setattr__(self, "projets", tuple(p for p in Projet.values if p in set(self.projets)))
        if self.effectif is not None and not self.taille:
            object.__setattr__(self, "taille", taille_de_effectif(self.effectif))
        if Projet.INNOVER not in self.projets:
            object.__setattr__(self, "maturite", None)

    # --- translations into the catalogue's vocabularies ------------------------------------
    # Cached: the rules read them once per dispositif, thousands of times per recommendation.
    # (cached_property writes to the instance __dict__, which a frozen dataclass allows.)

    @cached_property
    def stades_catalogue(self) -> frozenset[str]:
        stades = set(STADES_CATALOGUE.get(self.stade, set()))
        if Projet.DIFFICULTE in self.projets:
            stades.add(Stade.DIFFICULTE)
        if Projet.CREER in self.projets and self.stade in (None, StadeEntreprise.PROJET):
            stades.add(Stade.CREATION)
        return frozenset(stades)

    @cached_property
    def thematiques(self) -> frozenset[str]:
        return frozenset(t for projet in self.projets for t in THEMATIQUES_PROJET[Projet(projet)])

    @cached_property
    def bornes_effectif(self) -> tuple[int, int | None] | None:
        """(min, max) employees: exact when the number was given, the band otherwise, None if unknown."""
        if self.effectif is not None:
            return (self.effectif, self.effectif)
        if self.taille:
            return BORNES_TAILLE[TailleEntreprise(self.taille)]
        return None

    @cached_property
    def publics_statut(self) -> frozenset[str]:
        publics = {PUBLIC_STATUT[Statut(s)] for s in self.statuts}
        if (
            self.stade in (StadeEntreprise.PROJET, StadeEntreprise.RECENTE, StadeEntreprise.TRANSMISSION)
            or Projet.CREER in self.projets
        ):
            publics.add(Public.CREATEUR)
        return frozenset(publics)

    @cached_property
    def publics_taille(self) -> frozenset[str] | None:
        """TPE / PME / ETI by headcount; None when the size is unknown."""
        bornes = self.bornes_effectif
        if bornes is None:
            return None
        minimum, maximum = bornes
        publics = set()
        if minimum <= 9:
            publics.update({Public.TPE, Public.PME})
        if (maximum is None or maximum >= 10) and minimum <= 249:
            publics.add(Public.PME)
        if maximum is None or maximum >= 250:
            publics.add(Public.ETI)
        return frozenset(publics)

    # --- presentation -----------------------------------------------------------------------

    def parametres(self) -> list[tuple[str, str]]:
        couples = [("stade", self.stade), ("taille", self.taille)]
        couples.append(("effectif", None if self.effectif is None else str(self.effectif)))
        couples.append(("naf", self.naf))
        couples += [("statuts", s) for s in self.statuts]
        couples.append(("commune", self.commune))
        couples += [("projets", p) for p in self.projets]
        couples.append(("maturite", self.maturite))
        return [(cle, valeur) for cle, valeur in couples if valeur]

    def querystring(self) -> str:
        return urlencode(self.parametres())

    def resume(self, nom_commune: str = "") -> list[tuple[str, str]]:
        """The answers as (question, answer) lines, in French."""
        lignes = []
        if self.stade:
            lignes.append(("Étape", StadeEntreprise(self.stade).label))
        if self.effectif is not None:
            lignes.append(("Effectif", f"{self.effectif} salarié{'s' if self.effectif > 1 else ''}"))
        elif self.taille:
            lignes.append(("Taille", TailleEntreprise(self.taille).label))
        if self.naf:
            lignes.append(("Secteur", naf.libelle(self.naf)))
        if self.statuts:
            lignes.append(("Statut", ", ".join(Statut(s).label for s in self.statuts)))
        lignes.append(("Commune", f"{nom_commune} ({self.commune})" if nom_commune else self.commune))
        if self.projets:
            lignes.append(("Projets", ", ".join(Projet(p).label for p in self.projets)))
        if self.maturite:
            lignes.append(("Maturité du projet d'innovation", Maturite(self.maturite).label))
        return lignes
