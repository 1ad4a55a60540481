"""Every form is drawn by crispy-forms (Bootstrap 5) and summarises its errors with the one template.

A field written by hand in a template (an <input>, <select> or <textarea>, a bare `{{ champ }}`, a
radio's `.tag`) fails the test, unless its template is listed below with the reason crispy cannot
draw it. Hidden inputs and buttons are not fields people fill: they are allowed.
"""

import re

from django import forms
from django.conf import settings
from django.template import Context, Template

GABARITS = settings.BASE_DIR / "templates"

CHAMP_A_LA_MAIN = re.compile(
    r"<select\b|<textarea\b|<input\b(?![^>]*type=\"(?:hidden|submit|button)\")|\.as_widget\b|\.tag\s*\}\}"
    r"|\{\{\s*(?:champ|field)\s*\}\}"
)
COMMENTAIRES = re.compile(r"\{% comment %\}.*?\{% endcomment %\}|\{#.*?#\}", re.S)
RESUME_RECOPIE = re.compile(r"alert-danger(?:(?!</div>).)*?\.(?:non_field_errors|errors)", re.S)
CHAMPS_CACHES = re.compile(r"\{% for (\w+) in [\w.]+\.hidden_fields %\}.*?\{% endfor %\}", re.S)

# Template → why crispy does not draw its fields. Keep it short: every line is a debt or a real limit.
EXCEPTIONS = {
    "aides/catalogue.html": "facets show a count beside each value, updated in place by catalogue.js",
    "aides/_facettes.html": "facets show a count beside each value, updated in place by catalogue.js",
    "aides/alertes/gerer.html": "one frequency select per alert row of the list, each its own small form",
    "portal/_piege.html": "the honeypot field, hidden from people",
    "portal/accueil.html": "the home page's search box sends `q` to the catalogue; no form behind it",
    "aides/instruction/boite.html": "batch actions: one checkbox per file row of the inbox table",
    "aides/espace/_entreprise_courante.html": "the company switch in the header lists the user's memberships",
    "aides/espace/demande.html": "each already joined file is a checkbox or a radio showing its name and size",
    "aides/espace/demande_form.html": "expense and de minimis lines: a table of formset rows totalled as you type",
    "aides/espace/versement.html": "one « remove » checkbox beside each joined document's name and size",
    "aides/saf/feder_operation.html": "a one-select action: the accepted payment request to call funds for",
    "aides/saf/remboursements.html": "one payment input per repayment row of the schedule table",
    "aides/saf/versement.html": "one reject checkbox and reason per invoice row of the table",
    "crm/entreprise.html": "the history filter reads a timeline merged in Python from several sources",
    "crm/personne_export.html": "a one-field download form (GET) without a Django form",
    "crm/revues/_section_revue.html": "radios built from the companies the search just found",
    "crm/structures/_onglets.html": "a « go to the structure's page » select, not a form that saves",
    "crm/structures/detail.html": "one realised-value input per indicator row of the table",
    "formulaires/_rendu.html": "the staff-built form engine: its questions and repeatable blocks (table rows)",
    "parcours/_champ_texte.html": "the public questionnaire's own field layout (help before the input)",
    "parcours/_groupe_choix.html": "the public questionnaire's choice cards",
    "partenaires/epci.html": "one signature form (password, code) in each document row of the table",
    "partenaires/_trouver_contact.html": "a commune box embedded in partners' pages, with autocompletion",
    "pilotage/_annee.html": "a year switch shared by the pilotage pages, keeping their other parameters",
    "pilotage/tableaux.html": "a one-select action: the year of the yearly report to prepare",
    "pilotage/_question.html": "the satisfaction survey's inline 1-to-5 scales",
}


def champs_a_la_main() -> dict[str, list[str]]:
    trouves = {}
    for chemin in sorted(GABARITS.rglob("*.html")):
        texte = CHAMPS_CACHES.sub("", COMMENTAIRES.sub("", chemin.read_text()))
        if occurrences := CHAMP_A_LA_MAIN.findall(texte):
            trouves[str(chemin.relative_to(GABARITS))] = occurrences
    return trouves


def test_no_template_draws_a_field_by_hand_outside_the_listed_exceptions():
    assert {nom: occurrences for nom, occurrences in champs_a_la_main().items() if nom not in EXCEPTIONS} == {}


def test_every_exception_still_needs_its_place_in_the_list():
    assert set(EXCEPTIONS) - set(champs_a_la_main()) == set()


# The catalogue's results fragment, swapped in place by catalogue.js, suggests communes inside its summary.
RESUMES_PARTICULIERS = {"aides/_resultats.html"}


def test_one_error_summary_template_and_no_copy_of_it():
    copies = {
        str(chemin.relative_to(GABARITS))
        for chemin in GABARITS.rglob("*.html")
        if RESUME_RECOPIE.search(chemin.read_text())
    }
    assert copies == RESUMES_PARTICULIERS
    assert not [chemin for chemin in GABARITS.rglob("*erreurs*.html") if chemin.name != "_erreurs_formulaire.html"]


class Inscription(forms.Form):
    nom = forms.CharField(label="Nom")
    taille = forms.ChoiceField(label="Taille", choices=[("p", "Petite")], widget=forms.RadioSelect)
    jeton = forms.CharField(widget=forms.HiddenInput)


Lignes = forms.formset_factory(forms.Form, extra=0)


def rendre(gabarit: str, **contexte) -> str:
    return Template("{% load formulaires %}" + gabarit).render(Context(contexte))


def test_the_summary_links_each_error_to_its_field_and_names_formset_rows():
    form = Inscription(data={"taille": "x"})
    form.add_error(None, "Vérifiez l'ensemble.")

    class Ligne(forms.Form):
        montant = forms.DecimalField(label="Montant HT")

    lignes = forms.formset_factory(Ligne, extra=0)(data={"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0",
                                                         "form-1-montant": "abc"})  # fmt: skip
    html = rendre('{% erreurs_formulaire form lignes "Dépense, ligne" titre="Rien n\'est enregistré" %}', form=form,
                  lignes=lignes)  # fmt: skip
    assert 'role="alert"' in html and 'tabindex="-1"' in html and "Rien n'est enregistré" in html
    assert "<li>Vérifiez l&#x27;ensemble.</li>" in html
    assert '<a href="#id_nom">Nom : Ce champ est obligatoire.</a>' in html
    assert '<a href="#div_id_taille">Taille :' in html  # a radio group: the crispy wrapper
    assert "<li>Jeton : Ce champ est obligatoire.</li>" in html  # hidden: said, not linked
    assert '<a href="#id_form-1-montant">Dépense, ligne 2, montant HT :' in html


def test_no_error_no_summary():
    assert rendre("{% erreurs_formulaire form %}", form=Inscription()).strip() == ""
