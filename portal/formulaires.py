"""Form plumbing shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


def erreurs_vers_formulaire(form: forms.BaseForm, erreur: ValidationError, *, champ: str | None = None) -> None:
    """Put a service's ValidationError on the form that fed it: each message on its field when the
    form has that field, else at the top of the form (or on `champ` for an error without a field)."""
    if hasattr(erreur, "error_dict"):
        for nom, liste in erreur.error_dict.items():
            form.add_error(nom if nom in form.fields else None, liste)
    else:
        form.add_error(champ, erreur.error_list)
