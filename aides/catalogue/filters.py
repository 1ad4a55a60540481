"""The catalogue's filters: one FilterSet for the page, the open-data API and the CSV export.

Every filter is also available as a plain `Q` condition (`DispositifFilterSet.conditions()`), so the
selectors can count each facet with the *other* filters applied, in one aggregate query.
"""

import copy
from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.db.models import Q, TextChoices
from django.http import QueryDict
from django.utils import timezone

from aides.catalogue.models.dispositif import CONFIG_RECHERCHE, Dispositif, condition_couverture
from aides.catalogue.referentiels import BORNES_TAILLE, Nature, Public, Stade, TailleEntreprise, Thematique
from aides.catalogue.synonymes import synonymes
from territoires.forms import CommuneField
from territoires.models import Commune
from territoires.normalisation import normaliser
from territoires.selectors import commune_memorisee

LONGUEUR_RECHERCHE_MAX = 200
# The last word typed also matches as a prefix ("numér" finds « numérique ») from this length on.
LONGUEUR_PREFIXE_MIN = 3


class Tri(TextChoices):
    PERTINENCE = "pertinence", "Pertinence"
    CLOTURE = "cloture", "Clôture la plus proche"
    RECENTES = "recentes", "Plus récentes"


@dataclass(frozen=True)
class Facette:
    """A filter whose values are counted: its GET parameter, its vocabulary and how a value matches."""

    nom: str
    libelle: str
    choix: type[TextChoices]
    multiple: bool  # several values ticked at once (OR between them)
    colonne: str | None  # the model field holding the value(s); None when matched by a condition
    tableau: bool = False  # the column is an array (a dispositif has several values)

    def condition(self, valeurs: list[str] | str) -> Q:
        return CONDITIONS_FACETTES[self.nom](valeurs if isinstance(valeurs, list | tuple) else [valeurs])


def condition_taille(valeurs: list[str]) -> Q:
    """The aid's headcount range [effectif_min, effectif_max] meets one of the size bands."""
    condition = Q(pk__in=[])
    for valeur in valeurs:
        plancher, plafond = BORNES_TAILLE[TailleEntreprise(valeur)]
        bande = Q(effectif_max__isnull=True) | Q(effectif_max__gte=plancher)
        if plafond is not None:
            bande &= Q(effectif_min__isnull=True) | Q(effectif_min__lte=plafond)
        condition |= bande
    return condition


CONDITIONS_FACETTES = {
    "thematique": lambda valeurs: Q(thematiques__overlap=list(valeurs)),
    "nature": lambda valeurs: Q(nature__in=list(valeurs)),
    "public": lambda valeurs: Q(publics__overlap=list(valeurs)),
    "stade": lambda valeurs: Q(stades__overlap=list(valeurs)),
    "taille": condition_taille,
}

FACETTES = (
    Facette("thematique", "Thématique", Thematique, multiple=True, colonne="thematiques", tableau=True),
    Facette("nature", "Nature de l'aide", Nature, multiple=True, colonne="nature"),
    Facette("public", "Public", Public, multiple=True, colonne="publics", tableau=True),
    Facette("stade", "Stade de l'entreprise", Stade, multiple=True, colonne="stades", tableau=True),
    Facette("taille", "Taille de l'entreprise", TailleEntreprise, multiple=False, colonne=None),
)
FACETTES_PAR_NOM = {facette.nom: facette for facette in FACETTES}


def requete_texte(texte: str) -> SearchQuery | None:
    """French full-text query, accents and case ignored, words stemmed ("exporter" finds « export »).

    Web-search syntax works ("mot exact", -exclu, ou). Without it, the last word also matches as a
    prefix, so a word being typed already finds something; both parts use the GIN index.
    """
    texte = " ".join(texte.split())[:LONGUEUR_RECHERCHE_MAX]
    if not normaliser(texte):
        return None
    requete = SearchQuery(texte, config=CONFIG_RECHERCHE, search_type="websearch")
    if '"' in texte or " -" in f" {texte}" or " ou " in f" {texte.lower()} " or " or " in f" {texte.lower()} ":
        return requete
    avec_synonymes = requete_synonymes(texte)
    if avec_synonymes is not None:
        requete = requete | avec_synonymes
    debut, _, dernier = texte.rpartition(" ")
    mots_dernier = normaliser(dernier).split()
    if not mots_dernier or len(mots_dernier[-1]) < LONGUEUR_PREFIXE_MIN:
        return requete
    # Lexemes are plain strings: an unaccented, unstemmed prefix matches the stemmed vector.
    prefixe = SearchQuery(f"{mots_dernier[-1]}:*", config="simple", search_type="raw")
    if normaliser(debut):
        prefixe = SearchQuery(debut, config=CONFIG_RECHERCHE, search_type="websearch") & prefixe
    return requete | prefixe


def requete_synonymes(texte: str) -> SearchQuery | None:
    """Every word typed, or one of its synonyms (aides/catalogue/synonymes.py); None when no word has any."""
    mots = texte.split()
    if not any(synonymes(mot) for mot in mots):
        return None
    requete = None
    for mot in mots:
        terme = SearchQuery(mot, config=CONFIG_RECHERCHE, search_type="websearch")
        for synonyme in synonymes(mot):
            terme = terme | SearchQuery(synonyme, config=CONFIG_RECHERCHE, search_type="websearch")
        requete = terme if requete is None else requete & terme
    return requete


def condition_non_clos(le=None) -> Q:
    jour = le or timezone.localdate()
    return Q(date_cloture__isnull=True) | Q(date_cloture__gte=jour)


class CommuneCatalogueField(CommuneField):
    """The commune of a search, remembered by each process under the catalogue's generation (given
    to `DispositifFilterSet`), so that a search made again does not look it up again."""

    generation: str | None = None

    def resoudre(self, texte: str) -> Commune | None:
        return commune_memorisee(texte, self.generation)


class FiltreCommune(django_filters.Filter):
    field_class = CommuneCatalogueField


class FiltreCase(django_filters.Filter):
    field_class = forms.BooleanField


def message_choix(nature: str) -> dict:
    return {"invalid_choice": f"« %(value)s » n'est pas {nature}. Choisissez dans la liste."}


def filtre_cases(label: str, choix: type[TextChoices], quoi: str) -> django_filters.MultipleChoiceFilter:
    """A facet: repeatable checkboxes of a vocabulary, with a French message for an unknown value."""
    return django_filters.MultipleChoiceFilter(
        label=label,
        choices=choix.choices,
        method="filtrer",
        widget=forms.CheckboxSelectMultiple,
        error_messages=message_choix(quoi),
    )


class ChampsDuFormulaire(dict):
    """The fields of the catalogue's form. Django deep-copies a form's fields for each form (0.15 ms a
    search, the vocabularies' choices mostly) so that a form may change its own; the catalogue's form
    only reads them, except the commune's (its generation and its suggestions belong to one search):
    that one is copied, the others are shared. Never change another field in a form."""

    PROPRES = ("commune",)

    def __deepcopy__(self, memo):
        return {nom: copy.deepcopy(champ, memo) if nom in self.PROPRES else champ for nom, champ in self.items()}


class DispositifFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Mots-clés",
        method="filtrer",
        max_length=LONGUEUR_RECHERCHE_MAX,
        error_messages={"max_length": "Saisissez au plus %(limit_value)d caractères."},
    )
    commune = FiltreCommune(
        label="Commune de votre entreprise",
        method="filtrer",
        help_text="Nom, code postal ou code INSEE, par exemple « Amiens » ou « 80021 ».",
    )
    thematique = filtre_cases("Thématique", Thematique, "une thématique proposée")
    nature = filtre_cases("Nature de l'aide", Nature, "une nature d'aide proposée")
    public = filtre_cases("Public", Public, "un public proposé")
    stade = filtre_cases("Stade de l'entreprise", Stade, "un stade proposé")
    taille = django_filters.ChoiceFilter(
        label="Taille de l'entreprise",
        choices=TailleEntreprise.choices,
        method="filtrer",
        empty_label="Toutes les tailles",
        error_messages=message_choix("une taille proposée"),
    )
    clos = FiltreCase(label="Afficher aussi les aides clôturées", method="filtrer")
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        choices=Tri.choices,
        method="filtrer",
        empty_label=None,
        error_messages=message_choix("un tri proposé"),
    )

    class Meta:
        model = Dispositif
        fields: list[str] = []

    def __init__(self, data=None, *, generation: str | None = None, request=None, prefix=None):
        # What django-filter's __init__ does, less its deep copy of every filter for each search (0.15 ms
        # of a page served from the cache in 3): these filters are only read, once per process, to
        # build the form class (`get_form_class`); the search itself comes from `conditions()`.
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = Dispositif.objects.publies()
        self.request = request
        self.form_prefix = prefix
        self.filters = self.base_filters
        # The catalogue's generation in the shared cache this search reads (`catalogue_generation()`);
        # None: nothing of it is kept (the API, the CSV export, the alerts).
        self.generation = generation

    @property
    def form(self):
        if not hasattr(self, "_form"):
            super().form.fields["commune"].generation = self.generation
        return self._form

    def get_form_class(self):
        # django-filter builds a new form class (and new fields) for every FilterSet; this one does not
        # depend on the request, so it is built once per process, and each form copies only the
        # commune's field (see ChampsDuFormulaire).
        classe = type(self).__dict__.get("_classe_formulaire")
        if classe is None:
            classe = super().get_form_class()
            classe.base_fields = ChampsDuFormulaire(classe.base_fields)
            type(self)._classe_formulaire = classe
        return classe

    def filtrer(self, queryset, name, value):
        # Applied all at once in filter_queryset(), from conditions().
        return queryset

    def filter_queryset(self, queryset):
        return queryset.filter(*self.conditions().values())

    # --- What the selectors use -----------------------------------------------------------------

    def valeur(self, nom: str):
        """The cleaned value of a filter, None/[] when absent or invalid (call is_valid() first)."""
        if not hasattr(self.form, "cleaned_data"):
            self.form.is_valid()
        return self.form.cleaned_data.get(nom)

    @property
    def requete(self) -> SearchQuery | None:
        texte = self.valeur("q")
        return requete_texte(texte) if texte else None

    @property
    def commune_choisie(self) -> Commune | None:
        return self.valeur("commune")

    @property
    def tri_choisi(self) -> str:
        return self.valeur("tri") or Tri.PERTINENCE

    @property
    def options_tri(self) -> list[tuple[str, str, bool]]:
        """The sorts offered, as (code, label, chosen), for the page's select."""
        choisi = self.tri_choisi
        return [(code, libelle, code == choisi) for code, libelle in Tri.choices]

    @property
    def avec_clos(self) -> bool:
        return bool(self.valeur("clos"))

    def conditions(self) -> dict[str, Q]:
        """One condition per active filter, by GET parameter name (`q`, `commune`, facets, `clos`)."""
        conditions: dict[str, Q] = {}
        if (requete := self.requete) is not None:
            conditions["q"] = Q(recherche=requete)
        if (commune := self.commune_choisie) is not None:
            conditions["commune"] = condition_couverture(commune)
        for facette in FACETTES:
            if valeurs := self.valeur(facette.nom):
                conditions[facette.nom] = facette.condition(valeurs)
        if not self.avec_clos:
            conditions["clos"] = condition_non_clos()
        return conditions

    def valeurs_cochees(self, nom: str) -> list[str]:
        valeurs = self.valeur(nom)
        if not valeurs:
            return []
        return list(valeurs) if isinstance(valeurs, list | tuple) else [valeurs]


class DispositifAgentsFilterSet(django_filters.FilterSet):
    """The staff list of dispositifs: by name (accents ignored) and by state, « clôturé » being a
    published one whose closing date has passed. An unknown state shows them all."""

    STATUTS = [
        (Dispositif.Statut.BROUILLON, "Brouillons"),
        (Dispositif.Statut.PUBLIE, "Publiés"),
        ("cloture", "Publiés mais clôturés"),
        (Dispositif.Statut.ARCHIVE, "Archivés"),
    ]

    q = django_filters.CharFilter(
        label="Nom du dispositif",
        method="filtrer_nom",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 100}),
    )
    statut = django_filters.ChoiceFilter(label="Statut", choices=STATUTS, empty_label="Tous", method="filtrer_statut")

    def filtrer_nom(self, queryset, name, value):
        return queryset.filter(nom__unaccent__icontains=value[:100])

    def filtrer_statut(self, queryset, name, value):
        if value == "cloture":
            return queryset.publies().filter(date_cloture__lt=timezone.localdate())
        return queryset.filter(statut=value)

    def criteres(self) -> tuple[str, str]:
        """(statut, q) as applied, for the page's caption."""
        self.form.is_valid()
        return self.form.cleaned_data.get("statut") or "", (self.form.cleaned_data.get("q") or "")[:100]
