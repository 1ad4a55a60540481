"""The company account (/espace/): sign-up, email check, members, invitations, attachment requests."""

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from aides.demandes.acces import (
    SESSION_ENTREPRISE,
    entreprise_requise,
    invitation_de_l_entreprise,
    membre_de_l_entreprise,
    membres_visibles,
)
from aides.demandes.forms.comptes import (
    CapaciteForm,
    CompteInviteForm,
    DecisionRattachementForm,
    InvitationForm,
    RattachementForm,
    RoleForm,
)
from aides.demandes.forms.demande import (
    InscriptionForm,
)
from aides.demandes.models.espace import Invitation
from aides.demandes.services import comptes as services_comptes
from aides.demandes.services import demande as services
from portal.documents import document_reponse
from portal.formulaires import erreurs_vers_formulaire
from portal.models import User


def inscription(request):
    if request.user.is_authenticated:
        return redirect("espace:accueil")
    form = InscriptionForm(request.POST or None, request.FILES or None)
    suite = services.suite_valide(request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            services.compte_inscrire(
                email=donnees["email"],
                mot_de_passe=donnees["mot_de_passe"],
                siret=donnees["siret"],
                prenom=donnees["prenom"],
                nom=donnees["nom"],
                raison_sociale=donnees["raison_sociale"],
                adresse=donnees["adresse"],
                code_postal=donnees["code_postal"],
                commune_nom=donnees["commune"],
                justificatif=donnees.get("justificatif"),
                suite=suite,
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            request.session["inscription_email"] = donnees["email"]
            return redirect("espace:inscription-envoyee")
    return render(request, "aides/espace/inscription.html", {"form": form, "suite": suite})


def inscription_envoyee(request):
    return render(request, "aides/espace/inscription_envoyee.html", {"email": request.session.get("inscription_email")})


def verifier_email(request, jeton: str):
    try:
        user, suite = services.email_verifier(jeton=jeton)
    except ValidationError as erreur:
        return render(request, "aides/espace/verification_echec.html", {"erreur": erreur.messages[0]}, status=400)
    suite = suite or reverse("espace:accueil")
    messages.success(request, "Votre adresse électronique est confirmée.")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect(suite)
    messages.info(request, "Connectez-vous pour accéder à votre espace.")
    return redirect(f"{reverse('connexion')}?{urlencode({'next': suite})}")


@entreprise_requise(verifiee=False)
def verification_attente(request):
    if any(m.email_verifie for m in request.membres):
        return redirect("espace:accueil")
    if request.method == "POST":
        services.verification_envoyer(user=request.user)
        messages.success(request, f"Un nouveau lien a été envoyé à {request.user.email}.")
        return redirect("espace:verification-attente")
    return render(request, "aides/espace/verification_attente.html")


@entreprise_requise()
def membres(request):
    """The account's members. Every verified member reads it; administrators manage it."""

    membre = request.membre
    if not membre.est_verifie:
        raise Http404
    membres_qs = membres_visibles(membre).select_related("utilisateur").order_by("cree_le", "pk")
    page = Paginator(membres_qs.verifies(), 50).get_page(request.GET.get("page"))
    contexte = {
        "membre": membre,
        "entreprise": membre.entreprise,
        "page": page,
        "verifies": page.object_list,
        "en_attente": list(membres_qs.a_verifier()[:50]) if membre.est_administrateur else [],
        "invitations": list(
            Invitation.objects.filter(
                entreprise_id=membre.entreprise_id, utilisee_le=None, annulee_le=None, expire_le__gt=timezone.now()
            ).select_related("invite_par")
        )
        if membre.est_administrateur
        else [],
        "invitation_form": InvitationForm() if membre.est_administrateur else None,
    }
    return render(request, "aides/espace/membres.html", contexte)


@entreprise_requise(administrateur=True)
@require_POST
def membre_inviter(request):

    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services_comptes.invitation_creer(
                entreprise_id=request.membre.entreprise_id,
                par=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, f"Invitation envoyée à {form.cleaned_data['email']} (valable sept jours).")
            return redirect("espace:membres")
    messages.error(request, " ".join(e for liste in form.errors.values() for e in liste))
    return redirect("espace:membres")


@entreprise_requise(administrateur=True)
@require_POST
def invitation_annuler(request, pk: int):

    invitation = invitation_de_l_entreprise(request, pk)
    services_comptes.invitation_annuler(invitation_id=invitation.pk, par=request.user)
    messages.success(request, f"L'invitation de {invitation.email} est annulée.")
    return redirect("espace:membres")


# The member page's forms, by the POSTed action that uses them.
FORMULAIRE_DE_L_ACTION = {"role": "role", "capacite": "capacite", "accepter": "decision", "refuser": "decision"}


def _formulaires_membre(cible) -> dict:
    return {
        "role": RoleForm(initial={"role": cible.role}),
        "capacite": CapaciteForm(
            initial={
                "capacite": cible.capacite,
                "delegation_de": cible.delegation_de,
                "delegation_debut": cible.delegation_debut,
                "delegation_fin": cible.delegation_fin,
            }
        ),
        "decision": DecisionRattachementForm(),
    }


def _membre_agir(request, cible, action: str | None, formulaires: dict):
    """Runs the POSTed action through its service: the redirect, or None when a form has errors."""
    if action == "retirer":
        services_comptes.membre_retirer(membre_id=cible.pk, par=request.user)
        messages.success(request, f"{cible.utilisateur} est retiré(e) du compte.")
        return redirect("espace:membres")
    cle = FORMULAIRE_DE_L_ACTION.get(action)
    if cle is None:
        return None
    if cle == "capacite":
        formulaires[cle] = CapaciteForm(request.POST, request.FILES)
    else:
        formulaires[cle] = {"role": RoleForm, "decision": DecisionRattachementForm}[cle](request.POST)
    if not formulaires[cle].is_valid():
        return None
    donnees = formulaires[cle].cleaned_data
    if cle == "role":
        services_comptes.membre_role_changer(membre_id=cible.pk, par=request.user, role=donnees["role"])
        messages.success(request, f"Rôle de {cible.utilisateur} enregistré.")
        return redirect("espace:membre", cible.pk)
    if cle == "capacite":
        services_comptes.capacite_definir(
            membre_id=cible.pk,
            par=request.user,
            capacite=donnees["capacite"],
            delegation_de=donnees["delegation_de"],
            debut=donnees["delegation_debut"],
            fin=donnees["delegation_fin"],
            document=donnees.get("document"),
        )
        messages.success(request, f"Capacité de signature de {cible.utilisateur} enregistrée.")
        return redirect("espace:membre", cible.pk)
    accepter = action == "accepter"
    services_comptes.rattachement_decider(
        membre_id=cible.pk, par=request.user, accepter=accepter, motif=donnees["motif"], role=donnees["role"]
    )
    messages.success(request, f"Demande de {cible.utilisateur} {'acceptée' if accepter else 'refusée'}.")
    return redirect("espace:membres")


@entreprise_requise(administrateur=True)
def membre_detail(request, pk: int):
    """One member, for the administrator: role, signing capacity, removal; or a pending request."""
    cible = membre_de_l_entreprise(request, pk)
    formulaires = _formulaires_membre(cible)
    statut = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if reponse := _membre_agir(request, cible, action, formulaires):
                return reponse
        except ValidationError as erreur:
            form = formulaires[FORMULAIRE_DE_L_ACTION.get(action, "decision")]
            erreurs_vers_formulaire(form, erreur)
        statut = 400
    contexte = {f"{cle}_form": form for cle, form in formulaires.items()}
    return render(
        request,
        "aides/espace/membre.html",
        {"cible": cible, "entreprise": request.membre.entreprise, **contexte},
        status=statut,
    )


@entreprise_requise(administrateur=True)
def membre_justificatif(request, pk: int, quoi: str):

    cible = membre_de_l_entreprise(request, pk)
    document = cible.justificatif if quoi == "justificatif" else cible.delegation_document
    if document is None:
        raise Http404
    return document_reponse(request, document, nom=cible.justificatif_nom or PurePosixPath(document.fichier.name).name)


def invitation(request, jeton: str):
    """The link of an invitation: a logged-in person accepts; a new person creates their account."""

    try:
        invitation = services_comptes.invitation_lire(jeton)
    except ValidationError as erreur:
        return render(request, "aides/espace/verification_echec.html", {"erreur": erreur.messages[0]}, status=400)

    existe = User.objects.filter(email__iexact=invitation.email).exists()
    if not request.user.is_authenticated and existe:
        messages.info(request, f"Connectez-vous avec {invitation.email} pour accepter l'invitation.")
        return redirect(f"{reverse('connexion')}?{urlencode({'next': request.path})}")
    form = CompteInviteForm(request.POST or None, email=invitation.email) if not request.user.is_authenticated else None
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                membre = services_comptes.invitation_accepter(jeton=jeton, utilisateur=request.user)
            elif form.is_valid():
                membre = services_comptes.invitation_accepter(
                    jeton=jeton,
                    prenom=form.cleaned_data["prenom"],
                    nom=form.cleaned_data["nom"],
                    mot_de_passe=form.cleaned_data["mot_de_passe"],
                )
                login(request, membre.utilisateur, backend="django.contrib.auth.backends.ModelBackend")
            else:
                membre = None
        except ValidationError as erreur:
            if form is None:
                messages.error(request, erreur.messages[0])
                return redirect("espace:accueil")
            erreurs_vers_formulaire(form, erreur)
            membre = None
        if membre is not None:
            request.session[SESSION_ENTREPRISE] = membre.entreprise_id
            messages.success(request, f"Vous êtes membre du compte de {membre.entreprise.denomination}.")
            return redirect("espace:accueil")
    return render(request, "aides/espace/invitation.html", {"invitation": invitation, "form": form})


@entreprise_requise(verifiee=False)
def rattachement_ajouter(request):
    """Ask to act for another company (an accountant, a group): a request, verified like a sign-up."""

    form = RattachementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            membre = services_comptes.rattachement_demander(
                utilisateur=request.user,
                siret=form.cleaned_data["siret"],
                justificatif=form.cleaned_data.get("justificatif"),
                message=form.cleaned_data["message"],
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            request.session[SESSION_ENTREPRISE] = membre.entreprise_id
            messages.success(
                request,
                f"Votre demande de rattachement à {membre.entreprise.denomination} est envoyée. Vous verrez ses "
                "dossiers une fois le rattachement vérifié.",
            )
            return redirect("espace:accueil")
    return render(request, "aides/espace/rattachement.html", {"form": form})
