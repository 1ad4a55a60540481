"""Filters of the territories' staff lists: EPCI, territorial assignments, project reviews.

The coverage page (views_conventions.couverture) keeps its form: it filters rows computed in Python
from every EPCI's conventions (couverture_calculer), not a queryset a FilterSet could narrow.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from portal.models import Direction

from .models import EPCI, Departement
from .selectors import TRIS_EPCI

MESSAGE_DEPARTEMENT = {"invalid_choice": "Choisissez un des cinq départements de la région."}


def filtre_departement(field_name: str) -> django_filters.ModelChoiceFilter:
    """`?departement=80`: by the département's code."""
    return django_filters.ModelChoiceFilter(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        field_name=field_name,
        empty_label="Tous les départements",
        error_messages=MESSAGE_DEPARTEMENT,
    )


class EPCIFilterSet(django_filters.FilterSet):
    departement = filtre_departement("departements")
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        choices=[
            ("nom", "Nom (A → Z)"),
            ("population", "Population (décroissante)"),
            ("population_croissante", "Population (croissante)"),
        ],
        method="trier",
        empty_label=None,
        error_messages={"invalid_choice": "Choisissez un tri de la liste."},
    )

    TRI = "nom"

    def trier(self, queryset, name, value):
        return queryset.order_by(*TRIS_EPCI[value])

    @property
    def tri_choisi(self) -> str:
        self.form.is_valid()
        return self.form.cleaned_data.get("tri") or self.TRI


class AffectationFilterSet(django_filters.FilterSet):
    departement = filtre_departement("epci__departements")
    direction = django_filters.ModelChoiceFilter(
        label="Direction",
        queryset=Direction.objects.order_by("code"),
        to_field_name="code",
        empty_label="Toutes les directions",
        error_messages={"invalid_choice": "Choisissez une direction de la liste."},
    )
    q = django_filters.CharFilter(
        label="EPCI ou agent",
        method="chercher",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 100}),
    )

    def chercher(self, queryset, name, value):
        texte = value[:100]
        return queryset.filter(
            Q(epci__nom__icontains=texte) | Q(agent__last_name__icontains=texte) | Q(agent__first_name__icontains=texte)
        )


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
