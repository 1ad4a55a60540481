from django import forms

from aides.catalogue.models.alerte import Alerte


class AlerteForm(forms.Form):
    """« Recevoir les nouvelles aides » of a search. Its honeypot: portal.limites."""

    email = forms.EmailField(
        label="Votre adresse électronique",
        max_length=254,
        error_messages={
            "required": "Indiquez l'adresse où recevoir les nouvelles aides.",
            "invalid": "Cette adresse électronique n'est pas valide (par exemple nom@entreprise.fr).",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "form-control"}),
    )
    frequence = forms.ChoiceField(
        label="Fréquence",
        choices=Alerte.Frequence.choices,
        initial=Alerte.Frequence.HEBDOMADAIRE,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez « chaque jour » ou « chaque semaine »."},
    )
    requete = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class FrequenceForm(forms.Form):
    frequence = forms.ChoiceField(choices=Alerte.Frequence.choices)
