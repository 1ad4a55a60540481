"""Filters of the territories' staff lists: EPCI and territorial assignments.

The coverage page (views_conventions.couverture) keeps its form: it filters rows computed in Python
from every EPCI's conventions (couverture_calculer), not a queryset a FilterSet could narrow.
"""

import django_filters
from django import forms
from django.db.models import Q

from portal.models import Direction

from .models import Departement
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
