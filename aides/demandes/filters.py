"""Filters of the instruction inbox (/agents/instruction/), by the page's GET names."""

from types import SimpleNamespace

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict

from aides.catalogue.models.dispositif import Dispositif
from aides.demandes.models.demande import STATUTS_EN_COURS, Demande, Statut
from aides.demandes.selectors import condition_hors_delai, demandes_boite
from portal.filtres import FiltreCase
from portal.models import Direction
from portal.permissions import feder_seulement
from territoires.models import EPCI, Departement


class DemandeBoiteFilterSet(django_filters.FilterSet):
    """The inbox opens on the files to act on, the one waiting longest first; « Tous les états »
    (`?statut=`) and decided states show the newest first. `request.user` is « me » of
    `mes_demandes`. An invalid criterion leaves only the default, as before."""

    A_TRAITER = "a_traiter"

    statut = django_filters.ChoiceFilter(
        label="État",
        choices=[(A_TRAITER, "À traiter (déposée, en instruction, complément demandé)"), ("", "Tous les états")]
        + [c for c in Statut.choices if c[0] != Statut.BROUILLON],
        empty_label=None,
        method="filtrer_statut",
    )
    dispositif = django_filters.ModelChoiceFilter(
        label="Dispositif",
        queryset=Dispositif.objects.exclude(statut=Dispositif.Statut.BROUILLON).only("nom", "slug"),
        empty_label="Tous",
    )
    direction = django_filters.ModelChoiceFilter(
        label="Direction", queryset=Direction.objects.all(), field_name="dispositif__direction", empty_label="Toutes"
    )
    departement = django_filters.ModelChoiceFilter(
        label="Département",
        queryset=Departement.objects.all(),
        field_name="etablissement__commune__departement",
        empty_label="Tous",
    )
    epci = django_filters.ModelChoiceFilter(
        label="EPCI",
        queryset=EPCI.objects.only("siren", "nom").order_by("nom"),
        field_name="etablissement__commune__epci",
        empty_label="Tous",
    )
    mes_demandes = FiltreCase(label="Seulement celles qui me sont attribuées", method="filtrer_miennes")
    en_retard = FiltreCase(label="En cours au-delà du délai d'instruction cible", method="filtrer_en_retard")
    non_attribuees = FiltreCase(label="En cours et attribuées à personne", method="filtrer_non_attribuees")

    def __init__(self, data=None, *args, **kwargs):
        donnees = (data if data is not None else QueryDict()).copy()
        donnees.setdefault("statut", self.A_TRAITER)
        super().__init__(donnees, *args, **kwargs)

    def filtrer_statut(self, queryset, name, value):
        if value == self.A_TRAITER:
            queryset = queryset.filter(statut__in=STATUTS_EN_COURS)
        else:
            queryset = queryset.filter(statut=value)
        if value == self.A_TRAITER or value in STATUTS_EN_COURS:
            return queryset.order_by("depose_le", "pk")  # files to act on: the longest waiting first
        return queryset

    def filtrer_miennes(self, queryset, name, value):
        return queryset.filter(instructeur=self.request.user) if value else queryset

    def filtrer_en_retard(self, queryset, name, value):
        return queryset.filter(condition_hors_delai()) if value else queryset

    def filtrer_non_attribuees(self, queryset, name, value):
        return queryset.filter(statut__in=STATUTS_EN_COURS, instructeur__isnull=True) if value else queryset

    @property
    def statut_choisi(self) -> str:
        """The state listed: the one asked for, or « à traiter » when it is absent or invalid."""
        return self.form.cleaned_data.get("statut", self.A_TRAITER) if self.form.is_valid() else self.A_TRAITER

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return self.filtrer_statut(queryset, "statut", self.A_TRAITER)
        return super().filter_queryset(queryset)


def boite_filtree(*, user, donnees: QueryDict) -> tuple[DemandeBoiteFilterSet, QuerySet[Demande]]:
    """The inbox as `user` sees it, narrowed by `donnees` (the page's GET): the same criteria, order
    and scope for the page, a saved filter and an export (the FEDER service: FEDER-eligible files only)."""
    filtres = DemandeBoiteFilterSet(donnees, queryset=demandes_boite(), request=SimpleNamespace(user=user))
    demandes = filtres.qs
    if feder_seulement(user, "demande", "lire"):
        demandes = demandes.filter(dispositif__eligible_feder=True)  # the FEDER service's own files only
    return filtres, demandes


def requete_boite(donnees: QueryDict) -> str:
    """The inbox's criteria of a querystring, and nothing else (no page number, no stray parameter),
    to keep with a saved filter or an export. « Tous les états » (`statut=`) is kept: without it the
    inbox shows the files to act on."""
    garde = QueryDict(mutable=True)
    for nom in DemandeBoiteFilterSet.base_filters:
        valeurs = [v for v in donnees.getlist(nom) if v or nom == "statut"]
        if valeurs:
            garde.setlist(nom, valeurs[:1])
    return garde.urlencode()
