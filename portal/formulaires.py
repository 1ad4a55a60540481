"""Form plumbing shared by every app."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def erreurs_vers_formulaire(form: forms.BaseForm, erreur: ValidationError, *, champ: str | None = None) -> None:
    """Put a service's ValidationError on the form that fed it: each message on its field when the
    form has that field, else at the top of the form (or on `champ` for an error without a field)."""
    if hasattr(erreur, "error_dict"):
        for nom, liste in erreur.error_dict.items():
            form.add_error(nom if nom in form.fields else None, liste)
    else:
        form.add_error(champ, erreur.error_list)


def formulaire_soumettre(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict], object],
    *,
    succes: str,
    suite: str,
    page: Callable[[forms.BaseForm], HttpResponse],
) -> HttpResponse:
    """The POST of a form that calls one service: valid and accepted, a success message and a redirect
    to `suite` (a URL); else `page(form)`, the page again with the errors on the form."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, succes)
            return redirect(suite)
    return page(form)
