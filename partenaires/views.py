"""The /partenaires/ space: a partner's referrals and prescriptions, an EPCI's territory."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.revues import points_des_revues, revues_de_l_epci
from portal.acces import agent_requis
from portal.formulaires import erreurs_vers_formulaire
from portal.limites import limite_requise
from portal.roles import Role

from . import selectors, selectors_documents, services, services_epci
from .acces import convention_epci_pour, membre_requis, orientation_pour, prescription_pour
from .actions import actions_orientation
from .forms import (
    AcceptationForm,
    InvitationForm,
    PrescriptionForm,
    ReponseOrientationForm,
    SignatureEpciForm,
    TrouverContactForm,
)
from .models import Inscription, Invitation, Ressource

PAR_PAGE = 20


@membre_requis()
def tableau(request):
    adhesion = request.adhesion
    if adhesion.epci_id:
        return redirect("partenaires:epci")
    orientations = Paginator(selectors.orientations_structure(adhesion), PAR_PAGE).get_page(request.GET.get("page"))
    prescriptions = selectors.prescriptions_structure(adhesion)[:PAR_PAGE]
    return render(
        request,
        "partenaires/tableau.html",
        {"adhesion": adhesion, "orientations": orientations, "prescriptions": prescriptions},
    )


@membre_requis("structure")
def orientation(request, pk: int):
    orientation = orientation_pour(request.adhesion, pk)
    form = ReponseOrientationForm()
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "prendre":
        try:
            services.orientation_prendre(orientation=orientation, par=request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, "Demande prise en charge par vous.")
        return redirect("partenaires:orientation", pk=pk)
    if action == "repondre":
        form = ReponseOrientationForm(request.POST)
        if form.is_valid():
            try:
                services.orientation_repondre(orientation=orientation, par=request.user, **form.cleaned_data)
            except ValidationError as erreur:
                erreurs_vers_formulaire(form, erreur)
            else:
                messages.success(request, "Réponse transmise à la Région.")
                return redirect("partenaires:orientation", pk=pk)
    contexte = {
        "orientation": orientation,
        "form": form,
        "actions": actions_orientation(request.user, orientation, adhesion=request.adhesion),
    }
    return render(request, "partenaires/orientation.html", contexte)


@membre_requis("structure")
@limite_requise("prescriptions")
def prescription_nouvelle(request):
    form = PrescriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        donnees = {k: v for k, v in form.cleaned_data.items() if k != "accord"}
        try:
            prescription = services.prescription_creer(par=request.user, **donnees)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, "Demande transmise à la Région : suivez-la ici.")
            return redirect("partenaires:prescription", pk=prescription.pk)
    return render(
        request, "partenaires/prescription_form.html", {"form": form, "suggestions": form.fields["commune"].suggestions}
    )


@membre_requis("structure")
def prescription(request, pk: int):
    return render(request, "partenaires/prescription.html", {"prescription": prescription_pour(request.adhesion, pk)})


@membre_requis("epci")
def epci(request):
    epci = request.adhesion.epci
    revues = list(revues_de_l_epci(epci)[:10])
    dispositifs = Paginator(selectors.dispositifs_couvrant_epci(epci).order_by("nom"), PAR_PAGE).get_page(
        request.GET.get("page")
    )
    sollicitations = list(selectors.sollicitations_epci(epci)[:PAR_PAGE])
    return render(
        request,
        "partenaires/epci.html",
        {
            "epci": epci,
            "documents": selectors_documents.documents_epci(epci),
            "signature_form": SignatureEpciForm(),
            "dispositifs": dispositifs,
            "conventions": selectors.conventions_epci(epci),
            "revues": revues,
            "points": points_des_revues(revues),
            "taches": selectors.taches_membres_epci(epci)[:PAR_PAGE],
            "aidees": selectors.entreprises_aidees(epci),
            "sollicitations": sollicitations,
            "ressources": selectors.ressources(),
            "inscrit_a": set(
                Inscription.objects.filter(utilisateur=request.user).values_list("ressource_id", flat=True)
            ),
        },
    )


@require_POST
@membre_requis("epci")
@limite_requise("signature_epci")
def convention_signer(request, pk: int):
    """The EPCI signs its negotiated convention (password and second-factor code re-entered)."""
    convention = convention_epci_pour(request.adhesion, pk)
    form = SignatureEpciForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Saisissez votre mot de passe et le code de votre application pour signer.")
    else:
        try:
            services_epci.convention_signer_epci(convention_id=convention.pk, par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, f"Convention « {convention} » signée pour l'EPCI : la Région signe à son tour.")
    return redirect(f"{reverse('partenaires:epci')}#documents")


@require_POST
@membre_requis("epci")
def inscription(request, pk: int):
    ressource = get_object_or_404(Ressource, pk=pk)
    try:
        services.inscription_creer(ressource=ressource, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, f"Inscription enregistrée : {ressource.titre}.")
    return redirect("partenaires:epci")


@limite_requise("invitation_partenaire")
def invitation_accepter(request, jeton: str):
    try:
        invitation = services.invitation_lire(jeton)
    except ValidationError as erreur:
        return render(request, "partenaires/invitation_invalide.html", {"erreurs": erreur.messages}, status=404)
    form = AcceptationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        donnees = {k: v for k, v in form.cleaned_data.items() if k != "confirmation"}
        try:
            user = services.invitation_accepter(jeton=jeton, **donnees)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Compte créé : activez maintenant votre second facteur.")
            return redirect("partenaires:tableau")
    return render(request, "partenaires/invitation_accepter.html", {"form": form, "invitation": invitation})


@agent_requis(Role.CHARGE_DE_MISSION, Role.ADMINISTRATEUR)
def inviter(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_creer(par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("partenaires_agents:inviter")
    invitations = Invitation.objects.select_related("structure", "epci", "invite_par")[:PAR_PAGE]
    return render(request, "partenaires/agents_inviter.html", {"form": form, "invitations": invitations})


def trouver_contact(request):
    """« Trouver mon contact à la Région »: a commune leads to its EPCI's contacts page."""
    form = TrouverContactForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("territoires:contacts", siren=form.cleaned_data["commune"].epci.siren)
    return render(
        request, "partenaires/trouver_contact.html", {"form": form, "suggestions": form.fields["commune"].suggestions}
    )
