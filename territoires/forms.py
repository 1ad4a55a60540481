from django import forms
from django.urls import reverse_lazy

from .models import Departement
from .selectors import RECHERCHE_LONGUEUR_MAX, commune_depuis_saisie, communes_rechercher


class CommuneField(forms.CharField):
    """A commune typed as an INSEE code, "Amiens (80021)" or an unambiguous name.

    Works with the autocompletion (which submits the INSEE code) and without JavaScript (which
    submits what was typed). Cleans to a `Commune`; `suggestions` holds close matches after an error.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", RECHERCHE_LONGUEUR_MAX)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Saisissez le nom, le code postal ou le code INSEE d'une commune.",
                "max_length": "Saisissez au plus %(limit_value)d caractères (vous en avez saisi %(show_value)d).",
            },
        )
        super().__init__(**kwargs)
        self.suggestions = []

    def clean(self, value):
        texte = super().clean(value)
        if not texte:
            return None
        commune = commune_depuis_saisie(texte)
        if commune is None:
            self.suggestions = communes_rechercher(texte, limite=5)
            # Homonyms (same name, or same postal code) rank first with an exact-match rank of 0 or 1.
            exactes = [
                c for c in self.suggestions if getattr(c, "rang_nom", 0) == 0 and getattr(c, "rang_code", 0) <= 1
            ]
            if len(exactes) > 1:
                raise forms.ValidationError(
                    "Plusieurs communes correspondent à « %(saisie)s » : choisissez-en une dans la liste "
                    "proposée ou précisez son code INSEE.",
                    code="ambigue",
                    params={"saisie": texte},
                )
            raise forms.ValidationError(
                "Aucune commune des Hauts-de-France ne correspond à « %(saisie)s ». Saisissez son nom, son "
                "code postal ou son code INSEE, par exemple « Amiens » ou « 80021 ».",
                code="inconnue",
                params={"saisie": texte},
            )
        return commune


class CommuneTrouverForm(forms.Form):
    commune = CommuneField(
        label="Commune",
        help_text="Nom, code postal ou code INSEE, par exemple « Amiens » ou « 80021 ».",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-autocompletion-commune": "",
                "data-url": reverse_lazy("territoires:communes-recherche"),
            }
        ),
    )


class EPCIFiltreForm(forms.Form):
    TRIS = [
        ("nom", "Nom (A → Z)"),
        ("population", "Population (décroissante)"),
        ("population_croissante", "Population (croissante)"),
    ]

    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="Tous les départements",
        error_messages={"invalid_choice": "Choisissez un des cinq départements de la région."},
    )
    tri = forms.ChoiceField(
        label="Trier par",
        choices=TRIS,
        required=False,
        error_messages={"invalid_choice": "Choisissez un tri de la liste."},
    )
