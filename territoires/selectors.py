"""Reads on territories: commune search (autocompletion and forms without JavaScript), EPCI lists."""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, Count, Exists, FloatField, IntegerField, Prefetch, Q, QuerySet, Value, When

from .models import EPCI, Commune, Departement
from .normalisation import normaliser

RECHERCHE_LONGUEUR_MAX = 100
RECHERCHE_NB_RESULTATS = 10

# Abbreviations people type for the names' first word ("st quentin", "ste marie").
ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

# "Amiens (80021)": the label the autocompletion shows, pasted back or submitted without JavaScript.
LIBELLE = re.compile(r"^\s*(?P<nom>.*?)\s*\(\s*(?P<code>\d[\dAB]\d{3})\s*\)\s*$", re.IGNORECASE)
CODE_INSEE = re.compile(r"^\d[\dAB]\d{3}$", re.IGNORECASE)

CHAMPS_COMMUNE = (
    "code_insee",
    "nom",
    "codes_postaux",
    "population",
    "departement__code",
    "departement__nom",
    "epci__siren",
    "epci__nom",
    "epci__type",
)


@dataclass(frozen=True)
class Saisie:
    """A search typed by someone, split into name words and numeric codes (INSEE or postal)."""

    nom: str  # normalised, abbreviations expanded: "saint quentin"
    mots: tuple[str, ...]
    codes: tuple[str, ...]


def saisie_analyser(texte: str) -> Saisie:
    jetons = normaliser(texte).split()
    codes = tuple(j for j in jetons if j.isdigit())
    mots = [j for j in jetons if not j.isdigit()]
    # "st" alone may be the start of "Steenvoorde": expand it only when another word follows.
    mots = [ABREVIATIONS.get(mot, mot) if i < len(mots) - 1 else mot for i, mot in enumerate(mots)]
    return Saisie(nom=" ".join(mots), mots=tuple(mots), codes=codes)


def _filtre_code(code: str) -> Q:
    """A commune whose INSEE code or one of whose postal codes starts with `code`."""
    return Q(code_insee__startswith=code) | Q(codes_postaux__startswith=code) | Q(codes_postaux__contains=f" {code}")


def communes_rechercher(texte: str, *, limite: int = RECHERCHE_NB_RESULTATS) -> list[Commune]:
    """The communes closest to what was typed, best first, in one query.

    Name matches are ranked exact, then prefix, then word prefix, then contained, then all words
    present, then trigram similarity (pg_trgm on `nom_recherche`); codes rank an exact INSEE code,
    then an exact postal code, then prefixes. Ties go to the most populated commune.
    """
    saisie = saisie_analyser(texte[:RECHERCHE_LONGUEUR_MAX])
    if not saisie.nom and not saisie.codes:
        return []

    communes = Commune.objects.select_related("departement", "epci").only(*CHAMPS_COMMUNE)
    for code in saisie.codes:
        communes = communes.filter(_filtre_code(code))

    tri_codes: list = []
    if saisie.codes:
        code = saisie.codes[0]
        communes = communes.annotate(
            rang_code=Case(
                When(code_insee=code, then=Value(0)),
                When(Q(codes_postaux__regex=rf"(^| ){code}( |$)"), then=Value(1)),
                When(code_insee__startswith=code, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        tri_codes = ["rang_code"]

    if not saisie.nom:
        return list(communes.order_by(*tri_codes, "-population", "nom")[:limite])

    nom = saisie.nom
    # "boulogne mer" finds Boulogne-sur-Mer: every word contained, in any order.
    tous_les_mots = Q(nom_recherche__contains=nom)
    if len(saisie.mots) > 1:
        tous_les_mots = Q()
        for mot in saisie.mots:
            tous_les_mots &= Q(nom_recherche__contains=mot)
    sous_chaine = Q(nom_recherche__contains=nom) | tous_les_mots
    # Trigram matches rank last: when `limite` communes already contain the words, none could be
    # shown, so PostgreSQL skips the similarity of every row (an init plan evaluated once).
    assez = Exists(communes.filter(sous_chaine).order_by()[limite - 1 : limite])
    communes = communes.filter(sous_chaine | (Q(~assez) & Q(nom_recherche__trigram_similar=nom)))
    communes = communes.annotate(
        rang_nom=Case(
            When(nom_recherche=nom, then=Value(0)),
            When(nom_recherche__startswith=nom, then=Value(1)),
            When(nom_recherche__contains=f" {nom}", then=Value(2)),
            When(nom_recherche__contains=nom, then=Value(3)),
            When(tous_les_mots, then=Value(4)),
            default=Value(5),
            output_field=IntegerField(),
        ),
    )
    # Among substring matches the biggest commune is the likeliest; among the rest, the closest name.
    communes = communes.annotate(
        similarite=Case(
            When(rang_nom=5, then=TrigramSimilarity("nom_recherche", nom)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    return list(communes.order_by("rang_nom", *tri_codes, "-similarite", "-population", "nom")[:limite])


def commune_resultat(commune: Commune) -> dict:
    """The JSON shape of one autocompletion result."""
    return {
        "code_insee": commune.code_insee,
        "nom": commune.nom,
        "departement": commune.departement.code,
        "departement_nom": commune.departement.nom,
        "epci": commune.epci.nom,
        "epci_siren": commune.epci.siren,
        "codes_postaux": commune.liste_codes_postaux,
        "libelle": str(commune),
    }


@dataclass
class CommuneTrouvee:
    """What a commune typed in a form designates."""

    commune: Commune | None = None
    candidates: list[Commune] | None = None  # several communes answer the input, most populated first
    hors_region: bool = False  # a well-formed code that is no commune of the region
    approchantes: list[Commune] | None = None  # no commune of that name; these start with it


def commune_resoudre(texte: str) -> CommuneTrouvee:
    """The one resolver of a commune typed in a form (every app goes through it).

    Accepts an INSEE code ("80021"), the autocompletion label ("Amiens (80021)"), an exact name
    whatever its accents, hyphens or case ("saint-quentin", "st quentin"), with postal codes to tell
    homonyms apart ("Saint-Mard 02220"), or a postal code ("80000"). One query when it finds one.
    """
    texte = (texte or "").strip()[:RECHERCHE_LONGUEUR_MAX]
    if not texte:
        return CommuneTrouvee()
    communes = Commune.objects.avec_territoire().defer("epci__contour")
    if libelle := LIBELLE.match(texte):
        texte = libelle["code"]
    if CODE_INSEE.match(texte):
        if commune := communes.filter(code_insee=texte.upper()).first():
            return CommuneTrouvee(commune=commune)
        if not texte.isdigit():  # a Corsican code (2A004): no postal code looks like it
            return CommuneTrouvee(hors_region=True)
    saisie = saisie_analyser(texte)
    if saisie.codes and not saisie.nom:
        if len(saisie.codes) != 1 or len(saisie.codes[0]) != 5:
            return CommuneTrouvee()
        candidates = communes.filter(codes_postaux__regex=rf"(^| ){saisie.codes[0]}( |$)")
    elif saisie.nom:
        candidates = communes.filter(nom_recherche=saisie.nom)
        for code in saisie.codes:
            candidates = candidates.filter(_filtre_code(code))
    else:
        return CommuneTrouvee()
    trouvees = list(candidates.order_by("-population", "nom")[:21])
    if len(trouvees) == 1:
        return CommuneTrouvee(commune=trouvees[0])
    if trouvees:
        return CommuneTrouvee(candidates=trouvees)
    if not saisie.nom:
        return CommuneTrouvee(hors_region=True)
    approchantes = communes.filter(nom_recherche__startswith=saisie.nom).order_by("-population", "nom")[:10]
    return CommuneTrouvee(approchantes=list(approchantes) or None)


def commune_depuis_saisie(texte: str) -> Commune | None:
    """The one commune a form field designates, or None when nothing or several match."""
    return commune_resoudre(texte).commune


# Inputs remembered per process (names, codes, labels typed: a few hundred in practice).
COMMUNES_MEMORISEES_MAX = 2048


def commune_memorisee(texte: str, generation: str | None) -> Commune | None:
    """`commune_depuis_saisie()` remembered in this process's memory under a generation of the
    shared cache (`portal.cache.generation`): no query for an input already resolved.

    The caller's generation must change on every node when the communes change: `territoires_charger`
    (the only writer of communes and EPCI) starts a new « catalogue » generation, the one the catalogue
    search passes. Without a generation (Redis down), the input is resolved each time. The commune
    returned is shared by the requests of the process: read it, never change it.
    """
    if not generation:
        return commune_depuis_saisie(texte)
    return _commune_memorisee(texte, generation)


@lru_cache(maxsize=COMMUNES_MEMORISEES_MAX)
def _commune_memorisee(texte: str, generation: str) -> Commune | None:
    return commune_depuis_saisie(texte)


# --- EPCI ---------------------------------------------------------------------------------------

TRIS_EPCI = {
    "nom": ("nom",),
    "population": ("-population", "nom"),
    "population_croissante": ("population", "nom"),
}


def epci_lister() -> QuerySet[EPCI]:
    """EPCI with their départements and their number of loaded communes, in two queries, by name
    (territoires.filters.EPCIFilterSet narrows and sorts them)."""
    epcis = (
        EPCI.objects.defer("contour")
        .annotate(nb_communes_chargees=Count("communes"))
        .prefetch_related(Prefetch("departements", queryset=Departement.objects.order_by("code")))
    )
    return epcis.order_by(*TRIS_EPCI["nom"])


def epci_communes(epci: EPCI) -> QuerySet[Commune]:
    return epci.communes.select_related("departement").order_by("nom_recherche", "code_insee")
