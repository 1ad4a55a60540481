from django import forms

from portal.champs import FORMATS_DATE, DateField, MontantField, MontantInput  # noqa: F401  (imported from here)
from portal.verification import FORMATS_LISIBLES, fichier_verifier, taille_lisible, taille_maximale


def classes_bootstrap(form: forms.BaseForm) -> None:
    for champ in form.fields.values():
        if isinstance(champ.widget, forms.Select):
            champ.widget.attrs.setdefault("class", "form-select")
        elif not isinstance(champ.widget, (forms.CheckboxInput, forms.RadioSelect, forms.HiddenInput)):
            champ.widget.attrs.setdefault("class", "form-control")


class FichierField(forms.FileField):
    """A document checked by its content (aides.demandes.documents); the cleaned value is a FichierVerifie."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"Formats {FORMATS_LISIBLES} ; {taille_lisible(taille_maximale())} au plus.",
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.xlsx,.docx,.odt"
        self.error_messages["empty"] = "Le fichier est vide. Choisissez le bon fichier."

    def clean(self, data, initial=None):
        fichier = super().clean(data, initial)
        if not fichier:
            return None
        if fichier is initial:  # nothing new chosen: the document already given (formulaires) stays
            return initial
        return fichier_verifier(fichier)
