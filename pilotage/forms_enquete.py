from django import forms

from .models import Note


class EnqueteForm(forms.Form):
    utilite = forms.TypedChoiceField(
        label="La réponse de la Région vous a-t-elle été utile ?",
        choices=Note.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une réponse à la première question."},
    )
    simplicite = forms.TypedChoiceField(
        label="La démarche a-t-elle été simple et rapide ?",
        choices=Note.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une réponse à la deuxième question."},
    )
    commentaire = forms.CharField(
        label="Un commentaire ? (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control", "maxlength": 2000}),
        help_text="N'indiquez pas de données personnelles. 2 000 caractères au plus.",
    )
    panel = forms.BooleanField(
        label="J'accepte d'être consulté·e par la Région (panel de dirigeants d'entreprise)",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    panel_nom = forms.CharField(
        label="Vos nom et prénom (pour le panel)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    panel_fonction = forms.CharField(
        label="Votre fonction (facultatif)",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "organization-title"}),
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("panel") and not (donnees.get("panel_nom") or "").strip():
            self.add_error("panel_nom", "Indiquez vos nom et prénom pour rejoindre le panel.")
        if not donnees.get("panel"):
            donnees["panel_nom"] = ""
        return donnees
