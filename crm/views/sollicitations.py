from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from crm import services
from crm.actions import actions_sollicitation
from crm.filters import SollicitationFilterSet
from crm.forms import (
    ClotureForm,
    ReorientationForm,
    ReponseForm,
    SollicitationAgentForm,
    SollicitationPubliqueForm,
)
from crm.models import Entreprise, Sollicitation
from crm.selectors import (
    delais_direction,
    sollicitations_liste,
    voit_toutes_directions,
)
from crm.views.entreprises import PAR_PAGE
from partenaires.services import sollicitation_reorienter
from portal.acces import agent_requis
from portal.formulaires import erreurs_vers_formulaire
from portal.limites import limite_requise
from portal.permissions import peut_traiter_sollicitation


@agent_requis()
def sollicitations(request):
    filtres = SollicitationFilterSet(request.GET, queryset=sollicitations_liste(), request=request)
    criteres = filtres.criteres()
    onglet, statut, retard = criteres["onglet"], criteres["statut"], criteres["retard"]
    qs = filtres.qs
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    toutes = voit_toutes_directions(request.user)
    return render(
        request,
        "crm/sollicitations.html",
        {
            "page": page,
            "onglet": onglet,
            "statut": statut,
            "filtres": filtres.form,
            "retard": retard,
            "toutes_directions": toutes,
            "parametres": urlencode({"onglet": onglet, "statut": statut, **({"retard": "1"} if retard else {})}),
            "delais": delais_direction(request.user.direction, toutes=toutes),
        },
    )


def _reorienter(**arguments):

    return sollicitation_reorienter(**arguments)


# The page's form actions: the form's prefix in the context, its class, the service, the message.
ACTIONS_FORMULAIRES = {
    "repondre": ("reponse", ReponseForm, services.sollicitation_repondre, "Réponse enregistrée."),
    # To a partner: a referral its members are emailed and answer (partenaires.services).
    "reorienter": ("reorientation", ReorientationForm, _reorienter, "Demande réorientée."),
    "clore": ("cloture", ClotureForm, services.sollicitation_clore, "Demande close."),
}


def _prendre(request, sollicitation: Sollicitation):
    try:
        services.sollicitation_prendre_en_charge(sollicitation=sollicitation, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, "Demande prise en charge : le demandeur en est informé par courriel.")
    return redirect("crm_agents:sollicitation", pk=sollicitation.pk)


@agent_requis()
def sollicitation(request, pk: int):
    sollicitation = get_object_or_404(
        Sollicitation.objects.select_related(
            "commune__epci", "direction", "entreprise", "prise_en_charge_par", "reorientee_vers_direction",
            "reorientee_vers_structure",
        ).prefetch_related("assignes"),
        pk=pk,
    )  # fmt: skip
    formulaires = {"reponse": ReponseForm(), "reorientation": ReorientationForm(), "cloture": ClotureForm()}
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and not peut_traiter_sollicitation(request.user, sollicitation):
        raise PermissionDenied(
            "Cette demande est traitée par la personne ou la direction à qui elle est adressée : "
            "vous pouvez la lire, pas la prendre, y répondre ni la clore."
        )
    if action == "prendre":
        return _prendre(request, sollicitation)
    if action in ACTIONS_FORMULAIRES:
        cle, classe, service, succes = ACTIONS_FORMULAIRES[action]
        form = formulaires[cle] = classe(request.POST)
        if form.is_valid():
            try:
                service(sollicitation=sollicitation, par=request.user, **form.cleaned_data)
            except ValidationError as erreur:
                if not sollicitation.est_ouverte:  # a stale page: the request was already answered or closed
                    messages.error(request, " ".join(erreur.messages))
                    return redirect("crm_agents:sollicitation", pk=pk)
                erreurs_vers_formulaire(form, erreur)  # shown next to the form, what was typed kept
            else:
                messages.success(request, succes)
                return redirect("crm_agents:sollicitation", pk=pk)
    return render(
        request,
        "crm/sollicitation.html",
        {
            "sollicitation": sollicitation,
            "actions": actions_sollicitation(request.user, sollicitation),
            **formulaires,
        },
    )


def _sollicitation_depuis_formulaire(form, *, origine, par=None, entreprise=None) -> Sollicitation:
    d = dict(form.cleaned_data)
    d.pop("siren", None)
    return services.sollicitation_creer(origine=origine, par=par, entreprise=entreprise, **d)


@agent_requis()
def sollicitation_nouvelle(request):
    form = SollicitationAgentForm(request.POST or None, initial={"siren": request.GET.get("siren", "")})
    if request.method == "POST" and form.is_valid():
        siren = form.cleaned_data.get("siren", "").strip()
        entreprise = Entreprise.objects.filter(siren=siren).first() if siren else None
        if siren and entreprise is None:
            form.add_error("siren", "Aucune entreprise de la base n'a ce SIREN.")
        else:
            try:
                nouvelle = _sollicitation_depuis_formulaire(
                    form, origine=Sollicitation.Origine.AGENT, par=request.user, entreprise=entreprise
                )
            except ValidationError as erreur:
                erreurs_vers_formulaire(form, erreur)
            else:
                messages.success(request, "Demande enregistrée et transmise.")
                return redirect("crm_agents:sollicitation", pk=nouvelle.pk)
    return render(
        request, "crm/sollicitation_form.html", {"form": form, "suggestions": form.fields["commune"].suggestions}
    )


@limite_requise("contact")
def etre_contacte(request):
    """Public « Être contacté » form (honeypot, and a limit per address)."""
    form = SollicitationPubliqueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sollicitation = _sollicitation_depuis_formulaire(form, origine=Sollicitation.Origine.FORMULAIRE)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            # The thank-you page says who really received it (no personal data in the session).
            request.session["contact_acheminement"] = [sollicitation.acheminement, sollicitation.direction.nom]
            return redirect("crm:contact-merci")
    return render(request, "crm/etre_contacte.html", {"form": form, "suggestions": form.fields["commune"].suggestions})


def etre_contacte_merci(request):
    acheminement, direction = request.session.get("contact_acheminement") or [None, ""]
    return render(request, "crm/etre_contacte_merci.html", {"acheminement": acheminement, "direction": direction})
