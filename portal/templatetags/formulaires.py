"""The one error summary of every form page (`templates/_erreurs_formulaire.html`).

    {% load formulaires %}
    {% erreurs_formulaire form titre="La demande n'a pas été envoyée" %}
    {% erreurs_formulaire form etapes "Étape" titre="..." %}   {# a formset, then how its rows are named #}
    {% erreurs_formulaire form dynamique.erreurs %}   {# a list of (anchor, message) pairs #}

The summary is announced (role="alert"), can take the focus, and each field error links to its field.
"""

from django import template
from django.forms import BaseForm, BaseFormSet

from .portail import minuscule_initiale

register = template.Library()


def ancre(champ, groupe: str) -> str:
    """The id the error links to: the input, or the group around a list of radios or checkboxes."""
    return champ.id_for_label or f"{groupe}{champ.html_name}"


def erreurs_du_formulaire(form: BaseForm, *, groupe: str, ligne: str = "") -> list[tuple[str, str]]:
    erreurs = [("", str(erreur)) for erreur in form.non_field_errors()]
    for champ in form:
        libelle = f"{ligne}, {minuscule_initiale(champ.label)}" if ligne else champ.label
        lien = "" if champ.is_hidden else ancre(champ, groupe)  # a hidden field has nothing to reach
        erreurs += [(lien, f"{libelle} : {erreur}") for erreur in champ.errors]
    return erreurs


def erreurs_des_formulaires(objets, *, groupe: str) -> list[tuple[str, str]]:
    """Forms and formsets in page order; a string after a formset names its rows (« Étape » → « Étape 2 »)."""
    erreurs: list[tuple[str, str]] = []
    objets = list(objets)
    for position, objet in enumerate(objets):
        if isinstance(objet, BaseFormSet):
            suivant = objets[position + 1] if position + 1 < len(objets) else ""
            nom = suivant if isinstance(suivant, str) else "Ligne"
            erreurs += [("", f"{nom} : {e}") for e in objet.non_form_errors()]
            for numero, form in enumerate(objet.forms, start=1):
                erreurs += erreurs_du_formulaire(form, groupe=groupe, ligne=f"{nom} {numero}")
        elif isinstance(objet, BaseForm):
            erreurs += erreurs_du_formulaire(objet, groupe=groupe)
        elif isinstance(objet, list | tuple):  # errors already paired with their anchor: (ancre, message)
            erreurs += [(str(ancre), str(message)) for ancre, message in objet]
    return erreurs


@register.inclusion_tag("_erreurs_formulaire.html")
def erreurs_formulaire(*objets, titre="", id="erreurs-formulaire", texte="", groupe="div_id_") -> dict:
    """`groupe`: the prefix of the id around a group of radios or checkboxes (crispy's `div_id_` by default)."""
    return {"erreurs": erreurs_des_formulaires(objets, groupe=groupe), "titre": titre, "id": id, "texte": texte}
