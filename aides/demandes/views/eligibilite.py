"""The eligibility step of a new application: the dispositif's eligibility questions come first,
and a blocking answer stops the applicant with its reason before anything is created."""

from django.shortcuts import render

from aides.catalogue.models.dispositif import Dispositif
from aides.demandes import formulaire as formulaire_demande
from formulaires.moteur import FormulaireDynamique

ETAPE = "eligibilite"


def a_des_questions_d_eligibilite(schema: dict) -> bool:
    return any(section.get("eligibilite") for section in schema.get("sections", []))


def eligibilite_etape(request, dispositif: Dispositif):
    """The eligibility page (GET, or a POST of that page that does not pass), or None when the
    applicant may go on to the form: then `request.reponses_eligibilite` holds the answers given."""
    schema = formulaire_demande.version_pour(dispositif).schema
    request.reponses_eligibilite = {}
    if not a_des_questions_d_eligibilite(schema):
        return None
    if request.method == "POST" and request.POST.get("etape") != ETAPE:
        return None  # the form itself: its eligibility answers are checked again at deposit
    poste = request.method == "POST"
    questions = FormulaireDynamique(
        schema, request.POST if poste else None, exiger_requis=True, seulement_eligibilite=True
    )
    if poste and questions.is_valid():
        motif = questions.blocage()
        if motif is None:
            request.reponses_eligibilite = questions.reponses()
            return None
        return render(request, "aides/espace/eligibilite.html", {"dispositif": dispositif, "motif": motif})
    statut = 400 if poste else 200
    contexte = {"dispositif": dispositif, "dynamique": questions, "etape": ETAPE}
    return render(request, "aides/espace/eligibilite.html", contexte, status=statut)
