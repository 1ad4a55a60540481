"""Reads of the public catalogue: search, facet counts, sorting, a dispositif and its neighbours.

A catalogue page runs a fixed number of queries whatever the number of results: one aggregate for
the total and every facet count, one for the page of results with their territories as arrays
(plus the commune lookup, and up to two counts that explain an empty result).
"""

import hashlib
import pickle
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from aides.catalogue.filters import FACETTES, FACETTES_PAR_NOM, DispositifFilterSet, Tri, condition_non_clos
from aides.catalogue.models.dispositif import Dispositif
from portal.cache import generation

PAR_PAGE = 20
NB_VOISINS = 3
# Left in the database by lists, the API and the CSV: the long description and the search vector.
CHAMPS_DIFFERES = ("description", "recherche", "naf_inclus", "naf_exclus", "documents_requis")
# What a result card shows (templates/aides/_resultats.html): nothing more is loaded.
CHAMPS_CARTE = (
    "nom",
    "slug",
    "resume",
    "thematiques",
    "nature",
    "montant_min",
    "montant_max",
    "taux_max",
    "date_ouverture",
    "date_cloture",
    "couvre_region",
    "demo",
)


@dataclass(frozen=True)
class ValeurFacette:
    code: str
    libelle: str
    nombre: int
    cochee: bool
    ident: str  # "thematique-numerique": HTML ids and the counters the JavaScript refreshes


@dataclass(frozen=True)
class FacetteComptee:
    nom: str
    libelle: str
    multiple: bool
    valeurs: list[ValeurFacette]


@dataclass
class Catalogue:
    # The page's rows (card fields and territories), or their pickle as kept in the shared cache, read
    # only when asked for (`dispositifs`): a page whose cards are kept too never reads them.
    lignes: list[Dispositif] | bytes
    total: int
    page: int
    pages: int
    facettes: list[FacetteComptee]
    # Number of results if one active filter were removed, by GET parameter ("clos": show closed ones).
    sans: dict[str, int] = field(default_factory=dict)
    # The catalogue's generation in the shared cache (None: not cached), for the cards' HTML.
    generation: str | None = None
    # The search's key in the shared cache (None: not cached): the facet panel is kept under it.
    cle: str | None = None
    # The key of this page of the search (sort and number): its rendered cards are kept under it.
    cle_page: str | None = None
    # What the page's view keeps beside the rows (`cle_facettes`, `cle_cartes`), read in the same
    # call as the counts and the rows: the value found for each key, absent when not cached.
    fragments: dict[str, object] = field(default_factory=dict)

    @cached_property
    def dispositifs(self) -> list[Dispositif]:
        return pickle.loads(self.lignes) if isinstance(self.lignes, bytes) else self.lignes  # noqa: S301 - our own cache

    @property
    def cle_facettes(self) -> str | None:
        return _cle_facettes(self.cle) if self.cle else None

    @property
    def cle_cartes(self) -> str | None:
        return _cle_cartes(self.cle_page) if self.cle_page else None

    @property
    def premier(self) -> int:
        return (self.page - 1) * PAR_PAGE + 1 if self.total else 0

    @property
    def dernier(self) -> int:
        return min(self.page * PAR_PAGE, self.total)


def _cle_facettes(cle: str) -> str:
    return f"{cle}:facettes"


def _cle_cartes(cle_page: str) -> str:
    return f"{cle_page}:liste-cartes"


def avec_territoires(qs: QuerySet[Dispositif]) -> QuerySet[Dispositif]:
    """Annotate the coverage as arrays in the same query (no prefetch queries, no related objects):
    `codes_departements`, and `sirens_epcis` / `noms_epcis` ordered by EPCI name."""
    departements = Dispositif.departements.through.objects.filter(dispositif_id=OuterRef("pk"))
    epcis = Dispositif.epcis.through.objects.filter(dispositif_id=OuterRef("pk")).order_by("epci__nom")
    return qs.annotate(
        codes_departements=ArraySubquery(departements.order_by("departement_id").values("departement_id")),
        sirens_epcis=ArraySubquery(epcis.values("epci__siren")),
        noms_epcis=ArraySubquery(epcis.values("epci__nom")),
    )


def catalogue_trier(qs: QuerySet[Dispositif], filtres: DispositifFilterSet) -> QuerySet[Dispositif]:
    """Order by the sort asked for; relevance needs a text query, else it is alphabetical."""
    tri = filtres.tri_choisi
    requete = filtres.requete
    if tri == Tri.PERTINENCE and requete is not None:
        return qs.annotate(rang=SearchRank(F("recherche"), requete)).order_by("-rang", "nom", "pk")
    if tri == Tri.CLOTURE:
        # Open first (when closed ones are shown), then the nearest closing date, permanent aids last.
        deja_clos = ExpressionWrapper(~condition_non_clos(), output_field=BooleanField())
        return qs.annotate(deja_clos=deja_clos).order_by(
            "deja_clos", F("date_cloture").asc(nulls_last=True), "nom", "pk"
        )
    if tri == Tri.RECENTES:
        return qs.order_by(F("publie_le").desc(nulls_last=True), "-cree_le", "pk")
    return qs.order_by("nom", "pk")


def catalogue_filtrer(filtres: DispositifFilterSet) -> QuerySet[Dispositif]:
    """Published dispositifs matching the (valid) filters, sorted, with their territories as arrays.

    For the API and the CSV export; the page uses `catalogue_rechercher()` which also counts facets.
    """
    qs = Dispositif.objects.publies().filter(*filtres.conditions().values()).select_related("direction")
    return avec_territoires(catalogue_trier(qs, filtres)).defer(*CHAMPS_DIFFERES)


def catalogue_compter(filtres: DispositifFilterSet) -> int:
    return Dispositif.objects.publies().filter(*filtres.conditions().values()).count()


def _compter(base: QuerySet[Dispositif], autres: dict[str, Q]) -> dict[tuple[str, str], int]:
    """The total, every facet value and every "without this filter" count, in one query and one scan.

    The ORM compiles the rows once, with one boolean column per active filter (`m_<filter>`) and
    per size band (`b_<n>`); a plain SQL aggregate then counts each facet value with
    `count(*) FILTER (...)` over the other filters' booleans. Keys: ("total", ""), (facet, value),
    ("sans", filter).
    """
    drapeaux = {
        f"m_{nom}": ExpressionWrapper(condition, output_field=BooleanField()) for nom, condition in autres.items()
    }
    taille = FACETTES_PAR_NOM["taille"]
    bandes = {
        f"b_{i}": ExpressionWrapper(taille.condition(code), output_field=BooleanField())
        for i, code in enumerate(taille.choix.values)
    }
    colonnes = [f.colonne for f in FACETTES if f.colonne]
    lignes = base.annotate(**drapeaux, **bandes).values(*colonnes, *drapeaux, *bandes).order_by()
    sql_lignes, params_lignes = lignes.query.sql_with_params()

    def sauf(nom: str | None) -> list[str]:
        return [f's."m_{cle}"' for cle in autres if cle != nom]

    cles: list[tuple[str, str]] = [("total", "")]
    comptes = [sauf(None)]
    for facette in FACETTES:
        for i, code in enumerate(facette.choix.values):
            if facette.tableau:
                condition = f'%s = ANY(s."{facette.colonne}")'
            elif facette.colonne:
                condition = f's."{facette.colonne}" = %s'
            else:
                condition = f's."b_{i}"'
            cles.append((facette.nom, code))
            comptes.append([*sauf(facette.nom), condition])
    for nom in autres:
        cles.append(("sans", nom))
        comptes.append(sauf(nom))

    expressions, params = [], []  # the SELECT list's parameters come before the rows' ones
    for (_groupe, code), termes in zip(cles, comptes, strict=True):
        if any("%s" in terme for terme in termes):
            params.append(code)
        expressions.append(f"count(*) FILTER (WHERE {' AND '.join(termes)})" if termes else "count(*)")
    sql = f"SELECT {', '.join(expressions)} FROM ({sql_lignes}) AS s"
    with connection.cursor() as curseur:
        curseur.execute(sql, [*params, *params_lignes])
        return dict(zip(cles, curseur.fetchone(), strict=True))


def cle_catalogue(filtres: DispositifFilterSet) -> str:
    """The normalised key of a search (what changes its rows and counts: text, commune, facets,
    closed, today's date), the same for every spelling of the same search."""
    texte = " ".join((filtres.valeur("q") or "").lower().split())
    commune = filtres.commune_choisie
    parties = [texte, commune.code_insee if commune else "", "clos" if filtres.avec_clos else ""]
    parties += [",".join(sorted(filtres.valeurs_cochees(facette.nom))) for facette in FACETTES]
    parties.append(timezone.localdate().isoformat())
    return hashlib.sha256("|".join(parties).encode()).hexdigest()[:32]


def _facettes_comptees(filtres: DispositifFilterSet, comptes: dict[tuple[str, str], int]) -> list[FacetteComptee]:
    facettes = []
    for facette in FACETTES:
        cochees = set(filtres.valeurs_cochees(facette.nom))
        valeurs = [
            ValeurFacette(code, libelle, comptes.get((facette.nom, code), 0), code in cochees, f"{facette.nom}-{code}")
            for code, libelle in facette.choix.choices
        ]
        facettes.append(FacetteComptee(facette.nom, facette.libelle, facette.multiple, valeurs))
    return facettes


class _Recherche:
    """The querysets of one search, built only when the shared cache does not answer."""

    def __init__(self, filtres: DispositifFilterSet):
        self.filtres = filtres
        self.conditions = filtres.conditions()
        # The text query and the commune narrow the rows counted (GIN index, EXISTS); the facets and
        # "closed" are evaluated per row, so each can be left out of its own facet's counts.
        self.base = Dispositif.objects.publies().filter(
            *[self.conditions[nom] for nom in ("q", "commune") if nom in self.conditions]
        )
        self.autres = {nom: c for nom, c in self.conditions.items() if nom not in ("q", "commune")}

    def comptes(self) -> dict[tuple[str, str], int]:
        return _compter(self.base, self.autres)

    def page(self, numero: int) -> list[Dispositif]:
        qs = catalogue_trier(self.base.filter(*self.autres.values()), self.filtres)
        return list(avec_territoires(qs).only(*CHAMPS_CARTE)[(numero - 1) * PAR_PAGE : numero * PAR_PAGE])

    def sans_texte_ni_commune(self) -> dict[str, int]:
        """What removing the text query or the commune would give (for an empty result)."""
        sans = {}
        for nom in ("q", "commune"):
            if nom in self.conditions:
                restantes = [condition for cle, condition in self.conditions.items() if cle != nom]
                sans[nom] = Dispositif.objects.publies().filter(*restantes).count()
        return sans


def catalogue_generation() -> str | None:
    """The catalogue's current generation in the shared cache, None when nothing is to be kept there
    (CATALOGUE_CACHE_FACETTES_SECONDES = 0, or Redis down). One cache read: a page reads it once and
    gives it to `DispositifFilterSet(generation=...)`."""
    return generation("catalogue") if settings.CATALOGUE_CACHE_FACETTES_SECONDES > 0 else None


def catalogue_rechercher(filtres: DispositifFilterSet, *, page: int = 1) -> Catalogue:
    """One page of the catalogue with the total and every facet counted against the other filters.

    The counts and each page's rows (the card fields and territories, as loaded from the database)
    are kept in the shared cache under the search's normalised key and the generation the FilterSet
    was given (`catalogue_generation()`) for CATALOGUE_CACHE_FACETTES_SECONDES, dropped on every node
    when a dispositif changes. A search already made costs one cache read (the counts, the rows and
    the page's fragments, see `Catalogue.fragments`) and no query; a new one, two queries.
    """
    duree = settings.CATALOGUE_CACHE_FACETTES_SECONDES
    version = filtres.generation if duree > 0 else None
    cle = f"catalogue:{version}:{cle_catalogue(filtres)}" if version else None
    tri = filtres.tri_choisi
    cle_comptes, cle_page = (f"{cle}:comptes", f"{cle}:lignes:{tri}:{page}") if cle else (None, None)
    fragments = [_cle_facettes(cle), _cle_cartes(cle_page)] if cle else []
    trouves = cache.get_many([cle_comptes, cle_page, *fragments]) if cle else {}
    recherche = None

    comptes = trouves.get(cle_comptes)
    if comptes is None:
        recherche = _Recherche(filtres)
        comptes = recherche.comptes()
        if cle:
            cache.set(cle_comptes, comptes, duree)

    total = comptes.get(("total", ""), 0)
    pages = max(1, -(-total // PAR_PAGE))
    numero = min(max(1, page), pages)
    lignes: list[Dispositif] | bytes = []
    if total:
        if numero != page and cle:  # a page past the last one shows the last one
            cle_page = f"{cle}:lignes:{tri}:{numero}"
            trouves.update(cache.get_many([cle_page, _cle_cartes(cle_page)]))
        lignes = trouves.get(cle_page) if cle else None
        if lignes is None:
            recherche = recherche or _Recherche(filtres)
            lignes = recherche.page(numero)
            if cle:  # pickled here, so that a read gives bytes, unpickled only if the rows are asked for
                cache.set(cle_page, pickle.dumps(lignes, pickle.HIGHEST_PROTOCOL), duree)

    # The facets ticked and "closed" (hidden by default): what removing each one would give.
    actifs = [*(f.nom for f in FACETTES if filtres.valeurs_cochees(f.nom)), *([] if filtres.avec_clos else ["clos"])]
    sans = {nom: comptes.get(("sans", nom), 0) for nom in actifs}
    if not total:
        sans.update((recherche or _Recherche(filtres)).sans_texte_ni_commune())
    return Catalogue(
        lignes=lignes,
        total=total,
        page=numero,
        pages=pages,
        facettes=_facettes_comptees(filtres, comptes),
        sans=sans,
        generation=version,
        cle=cle,
        cle_page=cle_page,
        fragments={c: v for c, v in trouves.items() if c not in (cle_comptes, cle_page)},
    )


# --- One dispositif ---------------------------------------------------------------------------


def dispositif_public(slug: str) -> Dispositif:
    """A published dispositif with what its page shows, or 404 (drafts and archives are not public)."""
    qs = avec_territoires(Dispositif.objects.publies().select_related("direction"))
    return get_object_or_404(qs, slug=slug)


def dispositifs_voisins(dispositif: Dispositif, *, nombre: int = NB_VOISINS) -> list[Dispositif]:
    """Published, open dispositifs sharing its thématiques, the most shared first, in one query."""
    if not dispositif.thematiques:
        return []
    # Number of thématiques in common, one cheap test per thématique of this dispositif.
    communes = RawSQL(
        " + ".join(["(%s = ANY(thematiques))::int"] * len(dispositif.thematiques)), list(dispositif.thematiques)
    )
    return list(
        Dispositif.objects.publies()
        .ouverts()
        .filter(thematiques__overlap=dispositif.thematiques)
        .exclude(pk=dispositif.pk)
        .annotate(en_commun=communes)
        .defer(*CHAMPS_DIFFERES)
        .order_by("-en_commun", F("date_cloture").asc(nulls_last=True), "nom")[:nombre]
    )


def page_demandee(valeur: str | None) -> int:
    """The `page` GET parameter as a number ≥ 1 (anything else is page 1)."""
    try:
        return max(1, int(valeur or 1))
    except (TypeError, ValueError):
        return 1


def page_stricte(valeur: str | None) -> int:
    """For the API: a page that is not a positive integer does not exist."""
    if valeur in (None, ""):
        return 1
    if not str(valeur).isdigit() or int(valeur) < 1:
        raise Http404("Page inexistante.")
    return int(valeur)
