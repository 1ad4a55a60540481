"""Reads for the parcours: the catalogue and the templates as plain objects, the contact, the commune."""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db.models import Case, CharField, Count, Max, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone

from aides.models import Dispositif
from portal.cache import generation
from portal.models import Direction, User
from territoires.models import Affectation, Commune

from .models import EtapeParcours, ParcoursType
from .profil import Profil
from .recommandation import (
    Assemblage,
    DispositifVue,
    EtapeVue,
    Motif,
    ParcoursVue,
    Resultat,
    Territoire,
    assembler,
    recommander,
)

DEPARTEMENTS_REGION = {"02", "59", "60", "62", "80"}

# --- The commune --------------------------------------------------------------------------------


def territoire_de(commune: Commune) -> Territoire:
    return Territoire(
        code_insee=commune.code_insee,
        nom=commune.nom,
        departement=commune.departement_id,
        departement_nom=commune.departement.nom,
        epci_id=commune.epci_id,
        epci_nom=commune.epci.nom,
    )


# --- The catalogue ------------------------------------------------------------------------------


def catalogue_charger(dispositifs=None) -> list[DispositifVue]:
    """Every published dispositif (closed ones too, to count them), with its coverage: three queries.

    `dispositifs` narrows the published ones (a queryset of Dispositif). The coverage comes from the
    two small link tables read whole and grouped here: measurably faster than a correlated ARRAY
    subquery per dispositif (see bench/parcours.py).
    """
    departements: dict[int, set[str]] = defaultdict(set)
    for dispositif_id, code in Dispositif.departements.through.objects.values_list("dispositif_id", "departement_id"):
        departements[dispositif_id].add(code)
    epcis: dict[int, set[int]] = defaultdict(set)
    for dispositif_id, epci_id in Dispositif.epcis.through.objects.values_list("dispositif_id", "epci_id"):
        epcis[dispositif_id].add(epci_id)
    vide: frozenset = frozenset()
    lignes = (
        (Dispositif.objects.publies() if dispositifs is None else dispositifs)
        .order_by()
        .values_list(
            "id",
            "nom",
            "slug",
            "resume",
            "nature",
            "thematiques",
            "publics",
            "stades",
            "effectif_min",
            "effectif_max",
            "naf_inclus",
            "naf_exclus",
            "couvre_region",
            "date_ouverture",
            "date_cloture",
            "direction_id",
            "operateur_nom",
            "montant_max",
            "modalite_depot",
            "url_depot_externe",
        )
    )
    return [
        DispositifVue(
            id,
            nom,
            slug,
            resume,
            nature,
            tuple(thematiques),
            tuple(publics),
            tuple(stades),
            effectif_min,
            effectif_max,
            tuple(naf_inclus),
            tuple(naf_exclus),
            couvre_region,
            frozenset(departements[id]) if id in departements else vide,
            frozenset(epcis[id]) if id in epcis else vide,
            date_ouverture,
            date_cloture,
            direction_id,
            operateur_nom,
            montant_max,
            url_depot_externe if modalite_depot == Dispositif.ModaliteDepot.EXTERNE else "",
        )
        for (
            id,
            nom,
            slug,
            resume,
            nature,
            thematiques,
            publics,
            stades,
            effectif_min,
            effectif_max,
            naf_inclus,
            naf_exclus,
            couvre_region,
            date_ouverture,
            date_cloture,
            direction_id,
            operateur_nom,
            montant_max,
            modalite_depot,
            url_depot_externe,
        ) in lignes
    ]


def motif_prealable(territoire: Territoire, jour: datetime.date) -> Case:
    """In SQL, the first rule of `recommander` a dispositif fails among the dates and the territory
    (the same tests, in the same order, as `_verifier_dates` and `_verifier_territoire`), else ""."""
    # `id IN (…)` rather than a correlated EXISTS: PostgreSQL hashes each small list once.
    par_epci = Dispositif.epcis.through.objects.filter(epci_id=territoire.epci_id).values("dispositif_id")
    par_departement = Dispositif.departements.through.objects.filter(departement_id=territoire.departement).values(
        "dispositif_id"
    )
    couvre = Q(couvre_region=True) | Q(pk__in=par_epci) | Q(pk__in=par_departement)
    return Case(
        When(date_cloture__lt=jour, then=Value(Motif.FERMEE)),
        When(date_ouverture__gt=jour, then=Value(Motif.A_VENIR)),
        When(~couvre, then=Value(Motif.TERRITOIRE)),
        default=Value(""),
        output_field=CharField(),
    )


def catalogue_pour(territoire: Territoire, jour: datetime.date) -> tuple[list[DispositifVue], Counter]:
    """The published dispositifs open on `jour` and covering the commune, and how many others were set
    aside for which of those reasons (two queries, plus the coverage's two).

    `recommander` over these rows, plus these counts, gives exactly its result over the whole
    catalogue (tested), without loading and building the half of it that is closed or elsewhere:
    that loading is most of the cost of a recommendation when the catalogue is not cached.
    """
    publies = Dispositif.objects.publies().order_by().annotate(motif_prealable=motif_prealable(territoire, jour))
    ecartes = Counter(dict(publies.exclude(motif_prealable="").values_list("motif_prealable").annotate(n=Count("id"))))
    return catalogue_charger(publies.filter(motif_prealable="")), ecartes


def catalogue_version() -> tuple:
    """Changes whenever a dispositif is created, deleted or saved (one cheap aggregate query)."""
    return tuple(Dispositif.objects.order_by().aggregate(n=Count("id"), m=Max("modifie_le")).values())


class _CacheCatalogue:
    """The loaded catalogue, shared by every node through the cache (Redis) and kept in this
    process's memory while its generation does not change.

    Saving, publishing or deleting a dispositif changes the generation on every node
    (`portal.cache.catalogue_modifie`); each use costs one cache read. `duree` bounds how long a
    copy may live anyway (a change no signal sees, such as a bulk update). Without the cache (Redis
    down) the version is the dispositifs' count and last modification (one aggregate query).
    """

    def __init__(self):
        self._verrou = threading.Lock()
        self._valeur: list[DispositifVue] | None = None
        self._version: tuple | None = None
        self._charge_a = 0.0

    def obtenir(self, duree: float) -> list[DispositifVue]:

        partagee = generation("catalogue")
        version = ("generation", partagee) if partagee else ("base", *catalogue_version())
        with self._verrou:
            if self._valeur is None or version != self._version or time.monotonic() - self._charge_a > duree:
                valeur = cache.get(f"parcours:catalogue:{partagee}") if partagee else None
                if valeur is None:
                    valeur = catalogue_charger()
                    if partagee:
                        cache.set(f"parcours:catalogue:{partagee}", valeur, int(duree))
                self._valeur = valeur
                self._version = version
                self._charge_a = time.monotonic()
            return self._valeur

    def vider(self) -> None:
        with self._verrou:
            self._valeur = None


cache_catalogue = _CacheCatalogue()


def parcours_charger() -> list[ParcoursVue]:
    """Active templates with their steps and each step's dispositif ids: two queries."""
    ids = EtapeParcours.dispositifs.through.objects.filter(etapeparcours_id=OuterRef("pk")).values("dispositif_id")
    etapes = EtapeParcours.objects.annotate(ids_dispositifs=ArraySubquery(ids)).order_by("ordre", "pk")
    vues = []
    for p in ParcoursType.objects.actifs().prefetch_related(Prefetch("etapes", queryset=etapes)):
        vues.append(
            ParcoursVue(
                id=p.pk,
                nom=p.nom,
                slug=p.slug,
                description=p.description,
                direction_id=p.direction_id,
                ordre=p.ordre,
                stades=tuple(p.stades),
                projets=tuple(p.projets),
                statuts=tuple(p.statuts),
                tailles=tuple(p.tailles),
                maturites=tuple(p.maturites),
                etapes=tuple(
                    EtapeVue(
                        ordre=e.ordre,
                        type=e.type,
                        type_libelle=e.get_type_display(),
                        titre=e.titre,
                        texte=e.texte,
                        operateurs=e.operateurs,
                        dispositif_ids=frozenset(e.ids_dispositifs),
                    )
                    for e in p.etapes.all()
                ),
            )
        )
    return vues


# --- The contact --------------------------------------------------------------------------------


@dataclass
class Contact:
    direction: Direction
    agents: list[User]

    @property
    def boite(self) -> str:
        return self.direction.email_partage


def contact_trouver(*, commune: Commune, direction: Direction) -> Contact:
    """The chargé(s) de mission of the direction assigned to the commune's EPCI (the chef de file)."""
    affectations = (
        Affectation.objects.pour(epci=commune.epci, direction=direction)
        .filter(agent__is_staff=True)
        .select_related("agent")
        .order_by("agent__last_name", "agent__first_name")
    )
    return Contact(direction=direction, agents=[a.agent for a in affectations])


def direction_du_contact(assemblage: Assemblage, resultat: Resultat) -> Direction:
    """The pilot direction of the main parcours, else of the best aid, else the DAEN."""
    direction_id = None
    if assemblage.principal:
        direction_id = assemblage.principal.parcours.direction_id
    elif resultat.recommandes:
        direction_id = resultat.recommandes[0].dispositif.direction_id
    direction = Direction.objects.filter(pk=direction_id).first() if direction_id else None
    return direction or Direction.objects.get(code="DAEN")


# --- Everything the result page shows ----------------------------------------------------------


@dataclass
class Proposition:
    profil: Profil
    commune: Commune
    territoire: Territoire
    resultat: Resultat
    assemblage: Assemblage
    contact: Contact

    @property
    def nombre_recommandes(self) -> int:
        return len(self.resultat.recommandes)

    AUTRES_AFFICHEES = 15

    @property
    def autres_affichees(self):
        return self.assemblage.autres[: self.AUTRES_AFFICHEES]

    @property
    def autres_en_plus(self) -> int:
        return max(0, len(self.assemblage.autres) - self.AUTRES_AFFICHEES)

    @property
    def lien_catalogue(self) -> str:
        """The catalogue filtered on the commune and the projects' themes, for the aids not listed here."""
        parametres = [("commune", self.commune.code_insee)]
        parametres += [("thematique", t) for t in sorted(self.profil.thematiques)]
        return "/aides/?" + urlencode(parametres)

    @property
    def reponses(self) -> list[tuple[str, str]]:
        return self.profil.resume(self.commune.nom)


def proposition_calculer(
    *, profil: Profil, commune: Commune, duree_cache: float = 0, le: datetime.date | None = None
) -> Proposition:
    territoire = territoire_de(commune)
    jour = le or timezone.localdate()  # the day in Paris, as the catalogue's dates mean it
    if duree_cache > 0:
        # The whole catalogue is in memory already: the pure function sorts it all.
        dispositifs, ecartes = cache_catalogue.obtenir(duree_cache), Counter()
    else:
        dispositifs, ecartes = catalogue_pour(territoire, jour)
    resultat = recommander(profil, dispositifs, territoire=territoire, le=jour)
    resultat.ecartes.update(ecartes)
    assemblage = assembler(profil, resultat, parcours_charger())
    direction = direction_du_contact(assemblage, resultat)
    return Proposition(
        profil=profil,
        commune=commune,
        territoire=territoire,
        resultat=resultat,
        assemblage=assemblage,
        contact=contact_trouver(commune=commune, direction=direction),
    )
