"""The inbox's own forms: name the current filter, export the filtered applications."""

from django import forms

from aides.demandes.models.filtres import ExportDemandes


class FiltreForm(forms.Form):
    nom = forms.CharField(
        label="Nom du filtre",
        max_length=80,
        error_messages={"required": "Donnez un nom au filtre.", "max_length": "80 caractères au plus."},
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    requete = forms.CharField(required=False, widget=forms.HiddenInput)


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label="Format",
        choices=ExportDemandes.Format.choices,
        initial=ExportDemandes.Format.XLSX,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    requete = forms.CharField(required=False, widget=forms.HiddenInput)
