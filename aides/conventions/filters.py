"""Filters of the SAF dashboard (/agents/saf/): its list of conventions and its XLSX export."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from aides.catalogue.models.dispositif import Dispositif
from aides.conventions.models.convention import Etape
from aides.conventions.models.versement import Versement
from portal.filtres import FiltreCase
from portal.models import Direction


class PeriodeForm(forms.Form):
    """The dashboard's form: the filters, plus the period of the delays per step."""

    def clean(self):
        donnees = super().clean()
        if donnees.get("debut") and donnees.get("fin") and donnees["debut"] > donnees["fin"]:
            self.add_error("fin", "La fin de la période doit suivre son début.")
        return donnees


class ConventionTableauFilterSet(django_filters.FilterSet):
    """The conventions of the dashboard (`request.user` is « me » of `miennes`). An invalid
    criterion filters nothing, as before; `debut` and `fin` choose the period of the delays per
    step shown beside the list, not the list itself."""

    etape = django_filters.ChoiceFilter(label="Étape", choices=Etape.choices, empty_label="Toutes")
    dispositif = django_filters.ModelChoiceFilter(
        label="Dispositif", queryset=Dispositif.objects.order_by("nom").only("pk", "nom"), empty_label="Tous"
    )
    direction = django_filters.ModelChoiceFilter(
        label="Direction", queryset=Direction.objects.order_by("code"), empty_label="Toutes"
    )
    bloquees = FiltreCase(label="Bloquées seulement", method="filtrer_bloquees")
    miennes = FiltreCase(label="En cours, dont je suis gestionnaire", method="filtrer_miennes")
    versements = FiltreCase(label="Avec un versement à contrôler", method="filtrer_versements")
    debut = django_filters.DateFilter(label="Délais du", method="periode_seulement", widget=forms.DateInput(
        attrs={"type": "date"}))  # fmt: skip
    fin = django_filters.DateFilter(label="au", method="periode_seulement", widget=forms.DateInput(
        attrs={"type": "date"}))  # fmt: skip

    class Meta:
        form = PeriodeForm

    def filtrer_bloquees(self, queryset, name, value):
        return queryset.filter(bloquee=True) if value else queryset  # annotated by conventions_tableau

    def filtrer_miennes(self, queryset, name, value):
        return queryset.filter(en_cours=True, gestionnaire=self.request.user) if value else queryset

    def filtrer_versements(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Versement.objects.filter(convention=OuterRef("pk"), etat=Versement.Etat.DEMANDE)))

    def periode_seulement(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.form.is_valid() else queryset

    def criteres(self) -> dict:
        """The dispositif and direction chosen (their ids), for the counts and delays beside the list."""
        donnees = self.form.cleaned_data if self.form.is_valid() else {}
        return {
            "dispositif_id": donnees["dispositif"].pk if donnees.get("dispositif") else None,
            "direction_id": donnees["direction"].pk if donnees.get("direction") else None,
        }

    def periode(self):
        donnees = self.form.cleaned_data if self.form.is_valid() else {}
        fin = donnees.get("fin") or timezone.localdate()
        debut = donnees.get("debut") or fin - timedelta(days=365)
        return debut, fin
