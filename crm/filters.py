"""Filters of the CRM's staff lists: the company search (page and CSV export), the request inbox, the
project reviews."""

import django_filters
from django.http import QueryDict
from django.utils import timezone

from portal.filtres import FiltreCase
from territoires.models import EPCI

from .forms import champ_commune
from .models import Sollicitation
from .referentiels import naf_normaliser
from .selectors import Accompagne, etablissements_par_accompagnement, etablissements_par_texte, voit_toutes_directions


class FiltreCommune(django_filters.Filter):
    """A commune typed by name, postcode or INSEE code, with suggestions (crm.forms.champ_commune)."""

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = champ_commune(required=False, label=self._label)
        return self._field


class EtablissementFilterSet(django_filters.FilterSet):
    """The CRM search. An invalid criterion finds nothing (the page says which one), rather than
    everything; the agent's direction (request.user) tells « accompanied by my direction »."""

    q = django_filters.CharFilter(
        label="Nom, SIREN ou SIRET",
        method="filtrer_texte",
        max_length=120,
        help_text="Accents et petites fautes tolérés ; un SIREN ou un début de SIRET suffit.",
    )
    commune = FiltreCommune(label="Commune", field_name="commune")
    epci = django_filters.ModelChoiceFilter(
        label="EPCI", queryset=EPCI.objects.only("pk", "nom"), field_name="commune__epci"
    )
    naf = django_filters.CharFilter(
        label="Code NAF (ou son début)", method="filtrer_naf", max_length=6, help_text="Ex. : 10.71C ou 62"
    )
    accompagnement = django_filters.ChoiceFilter(
        label="Accompagnement",
        choices=Accompagne.CHOIX[1:],
        empty_label=Accompagne.CHOIX[0][1],  # « Peu importe »
        method="filtrer_accompagnement",
    )
    actifs = FiltreCase(label="Établissements actifs seulement", field_name="actif")

    def filtrer_texte(self, queryset, name, value):
        return etablissements_par_texte(queryset, value)

    def filtrer_naf(self, queryset, name, value):
        naf = value.strip().upper()
        naf = naf_normaliser(naf) if len(naf.replace(".", "")) == 5 else naf
        return queryset.filter(naf__startswith=naf)

    def filtrer_accompagnement(self, queryset, name, value):
        return etablissements_par_accompagnement(queryset, value, self.request.user.direction)

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)


class SollicitationFilterSet(django_filters.FilterSet):
    """The request inbox of an agent (request.user): their tab, the state, late ones only.

    Absent or unknown values fall back to « Ma boîte » and « À traiter », as the links and
    bookmarks expect; `?statut=` (empty) means every state.
    """

    ONGLETS = [("miennes", "Ma boîte"), ("direction", "Boîte de la direction"), ("toutes", "Toutes")]
    OUVERTES = "ouvertes"

    onglet = django_filters.ChoiceFilter(label="Boîte", choices=ONGLETS, empty_label=None, method="filtrer_onglet")
    statut = django_filters.ChoiceFilter(
        label="État",
        choices=[
            (OUVERTES, "À traiter (nouvelles et prises en charge)"),
            ("", "Toutes"),
            *Sollicitation.Statut.choices,
        ],
        empty_label=None,
        method="filtrer_statut",
    )
    retard = FiltreCase(label="En retard seulement", method="filtrer_retard")

    def __init__(self, data=None, *args, **kwargs):
        donnees = (data if data is not None else QueryDict()).copy()
        for nom, defaut in (("onglet", "miennes"), ("statut", self.OUVERTES)):
            if donnees.get(nom, defaut) not in {valeur for valeur, _ in self.base_filters[nom].extra["choices"]}:
                donnees[nom] = defaut
            donnees.setdefault(nom, defaut)  # absent: the default, not « every state »
        super().__init__(donnees, *args, **kwargs)

    def filtrer_onglet(self, queryset, name, value):
        agent = self.request.user
        if value == "direction":
            return queryset.boite_direction(agent.direction) if agent.direction_id else queryset.none()
        if value == "toutes":
            if voit_toutes_directions(agent):
                return queryset
            return queryset.filter(direction=agent.direction) if agent.direction_id else queryset.none()
        return queryset.pour_agent(agent)

    def filtrer_statut(self, queryset, name, value):
        if value == self.OUVERTES:  # the oldest first: the next one to take
            return queryset.ouvertes().order_by("cree_le")
        return queryset.filter(statut=value)

    def filtrer_retard(self, queryset, name, value):
        return queryset.en_retard() if value else queryset

    def criteres(self) -> dict:
        """The criteria applied, for the page's tabs and links (after validation)."""
        self.form.is_valid()
        return {
            "onglet": self.form.cleaned_data.get("onglet") or "miennes",
            "statut": self.form.cleaned_data.get("statut", self.OUVERTES),
            "retard": bool(self.form.cleaned_data.get("retard")),
        }


class RevueFilterSet(django_filters.FilterSet):
    """Upcoming reviews (the soonest first) unless `?periode=passees` or `toutes` (the latest first)."""

    PERIODES = [("a_venir", "À venir"), ("passees", "Passées"), ("toutes", "Toutes")]
    A_VENIR = "a_venir"

    periode = django_filters.ChoiceFilter(label="Période", choices=PERIODES, method="filtrer_periode", empty_label=None)
    epci = django_filters.ModelChoiceFilter(
        label="EPCI",
        queryset=EPCI.objects.only("pk", "nom").order_by("nom"),
        field_name="epcis",
        empty_label="Tous",
    )

    def filtrer_periode(self, queryset, name, value):
        aujourd_hui = timezone.localdate()
        if value == self.A_VENIR:
            return queryset.filter(date__gte=aujourd_hui).order_by("date", "heure", "pk")
        if value == "passees":
            return queryset.filter(date__lt=aujourd_hui)
        return queryset

    @property
    def periode_choisie(self) -> str:
        self.form.is_valid()
        return self.form.cleaned_data.get("periode") or self.A_VENIR

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("periode"):  # absent or unknown: upcoming ones
            queryset = self.filtrer_periode(queryset, "periode", self.A_VENIR)
        return queryset
