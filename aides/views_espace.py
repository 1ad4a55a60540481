"""The company space (/espace/): sign-up, the company's applications, answers to the instruction."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from portal.fichiers import reponse_fichier
from portal.journal import telechargement_journaliser
from portal.limites import limite_atteinte, limite_compter, reponse_trop_de_demandes
from portal.reseau import adresse_client

from . import formulaire_demande
from . import services_demande as services
from .acces import (
    SESSION_ENTREPRISE,
    a_un_compte_entreprise,
    convention_de_l_entreprise,
    conventions_visibles,
    demande_de_l_entreprise,
    demande_modifiable,
    demandes_visibles,
    entreprise_requise,
    piece_visible,
)
from .documents import reponse_telechargement
from .forms_demande import (
    DeclarationsFormSet,
    DemandeForm,
    FichierField,
    InscriptionForm,
    JetonCreationForm,
    PiecesForm,
    ReponseForm,
    declarations_initiales,
)
from .forms_indicateurs import IndicateursPrevusForm
from .models import Demande, Dispositif, PieceJointe, Statut
from .referentiels import RegimeAide
from .selectors_demande import (
    contacts_de_l_entreprise,
    conventions_avec_versements,
    demande_pour_entreprise,
)
from .services_indicateurs import indicateurs_manquants, indicateurs_prevus_enregistrer
from .views_eligibilite import ETAPE as ETAPE_ELIGIBILITE
from .views_eligibilite import eligibilite_etape

# --- Account ------------------------------------------------------------------------------------


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
            for champ, liste in erreur.message_dict.items():
                form.add_error(champ if champ in form.fields else None, liste)
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


# --- Applications -------------------------------------------------------------------------------


@entreprise_requise()
def accueil(request):
    membre = request.membre
    demandes = demandes_visibles(membre).select_related("dispositif", "etablissement")
    page = Paginator(demandes, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "aides/espace/accueil.html",
        {
            "page": page,
            "membre": membre,
            "entreprise": membre.entreprise,
            "conventions": conventions_avec_versements(conventions_visibles(membre))[:10],
            "contacts": contacts_de_l_entreprise(membre) if membre.est_verifie else None,
        },
    )


@entreprise_requise(verifiee=False)
@require_POST
def entreprise_changer(request):
    """Switch the current company among the person's attachments (checked again on each request)."""
    try:
        voulue = int(request.POST.get("entreprise", ""))
    except ValueError:
        voulue = None
    membre = next((m for m in request.membres if m.entreprise_id == voulue), None)
    if membre is None:
        raise Http404
    request.session[SESSION_ENTREPRISE] = membre.entreprise_id
    messages.success(request, f"Vous agissez maintenant pour {membre.entreprise.denomination}.")
    return redirect("espace:accueil")


def _de_minimis(dispositif: Dispositif) -> bool:
    return dispositif.regime == RegimeAide.DE_MINIMIS


def _moteur(request, dispositif: Dispositif, demande: Demande | None, *, data=None, files=None):
    """The dispositif's questions (formulaires), in the version the application started with (a new
    one: with the answers of the eligibility step)."""
    if demande is not None:
        version = formulaire_demande.version_de(demande)
    else:
        version = formulaire_demande.version_pour(dispositif)
    etablissement = demande.etablissement if demande else request.membre.etablissement
    return formulaire_demande.formulaire_de(
        demande,
        version=version,
        etablissement=etablissement,
        data=data if data is not None and data.get("etape") != ETAPE_ELIGIBILITE else None,
        files=files,
        fabrique_fichier=FichierField,
        en_plus=getattr(request, "reponses_eligibilite", None),
    )


def _formulaire(request, *, dispositif: Dispositif, demande: Demande | None):
    """GET shows the form; POST saves every valid file at once, then the draft, then deposits."""
    de_minimis = _de_minimis(dispositif)
    if request.method != "POST" or request.POST.get("etape") == ETAPE_ELIGIBILITE:
        contexte = {
            "form": DemandeForm(instance=demande, de_minimis=de_minimis),
            "dynamique": _moteur(request, dispositif, demande),
            "declarations": DeclarationsFormSet(
                prefix="deminimis", initial=declarations_initiales(demande) if demande else None
            )
            if de_minimis
            else None,
            "pieces": PiecesForm(documents_requis=dispositif.documents_requis),
            "jeton_form": JetonCreationForm(initial={"jeton": uuid.uuid4()}) if demande is None else None,
            "indicateurs": IndicateursPrevusForm(dispositif=dispositif, demande=demande),
        }
        return _rendre_formulaire(request, dispositif, demande, contexte)

    if demande is None:
        try:
            demande = services.demande_creer(
                dispositif=dispositif,
                membre=request.membre,
                jeton=JetonCreationForm(request.POST).jeton_lu(),
            )
        except ValidationError as erreur:
            messages.error(request, erreur.messages[0])
            return redirect("espace:accueil")
    if not demande.est_brouillon:
        return _deja_deposee(request, demande)
    try:
        return _enregistrer(request, dispositif, demande, de_minimis)
    except ValidationError:
        demande.refresh_from_db()
        if not demande.est_brouillon:
            return _deja_deposee(request, demande)
        raise


def _pieces_enregistrer(request, demande: Demande, pieces: PiecesForm) -> None:
    """A valid file is kept whatever happens to the rest of the form."""
    for nom, type_piece in pieces.types.items():
        verifie = pieces.cleaned_data.get(nom)
        if verifie:
            try:
                services.piece_ajouter(demande=demande, verifie=verifie, par=request.user, type_piece=type_piece)
            except ValidationError as erreur:
                if erreur.code != "quota":
                    raise
                pieces.add_error(nom, erreur)


def _enregistrer(request, dispositif: Dispositif, demande: Demande, de_minimis: bool):
    form = DemandeForm(request.POST, instance=demande, de_minimis=de_minimis)
    dynamique = _moteur(request, dispositif, demande, data=request.POST, files=request.FILES)
    declarations = DeclarationsFormSet(request.POST, prefix="deminimis") if de_minimis else None
    pieces = PiecesForm(request.POST, request.FILES, documents_requis=dispositif.documents_requis)
    pieces.is_valid()
    indicateurs = IndicateursPrevusForm(request.POST, dispositif=dispositif, demande=demande)
    _pieces_enregistrer(request, demande, pieces)
    formulaires = [form, dynamique, indicateurs] + ([declarations] if declarations is not None else [])
    valide = all([f.is_valid() for f in formulaires])
    contexte = {"form": form, "dynamique": dynamique, "declarations": declarations, "pieces": pieces,
                "indicateurs": indicateurs, "erreurs_depot": [], "enregistre": valide}  # fmt: skip
    if not valide:
        return _rendre_formulaire(request, dispositif, demande, contexte)
    demande = formulaire_demande.reponses_enregistrer(demande=demande, reponses=dynamique.reponses(), par=request.user)
    services.demande_enregistrer(
        demande=demande,
        champs=dict(form.cleaned_data),
        declarations=[services.DeclarationSaisie(**d) for d in declarations.lignes_remplies()]
        if declarations is not None
        else None,
    )
    indicateurs_prevus_enregistrer(demande=demande, valeurs=indicateurs.valeurs())
    if pieces.errors:
        return _rendre_formulaire(request, dispositif, demande, contexte)
    if request.POST.get("action") != "deposer":
        messages.success(request, "Brouillon enregistré. Vous pouvez le reprendre à tout moment.")
        return redirect("espace:modifier", demande.pk)
    if manquants := indicateurs_manquants(demande):
        contexte["erreurs_depot"] = [f"Indiquez la valeur prévue de : {', '.join(manquants)}."]
        return _rendre_formulaire(request, dispositif, demande, contexte)
    try:
        demande, maintenant = services.demande_deposer(demande_id=demande.pk, par=request.user)
    except ValidationError as erreur:
        contexte["erreurs_depot"] = erreur.messages
        contexte["dynamique"] = _moteur(request, dispositif, demande)
        return _rendre_formulaire(request, dispositif, demande, contexte)
    if maintenant:
        messages.success(request, f"Votre demande est déposée sous le numéro {demande.numero_depot}.")
    return redirect("espace:demande", demande.pk)


def _deja_deposee(request, demande: Demande):
    messages.info(request, f"Cette demande est déjà déposée (n° {demande.numero_depot}) : elle n'a pas été modifiée.")
    return redirect("espace:demande", demande.pk)


def _rendre_formulaire(request, dispositif, demande, contexte):
    fournies = {}
    if demande is not None:
        for piece in demande.pieces.filter(message=None):
            fournies.setdefault(piece.type_piece, []).append(piece)
    pieces_form = contexte["pieces"]
    champs_pieces = [(pieces_form[nom], fournies.get(type_piece, [])) for nom, type_piece in pieces_form.types.items()]
    action = reverse("espace:modifier", args=[demande.pk]) if demande else request.path
    return render(
        request,
        "aides/espace/demande_form.html",
        {
            **contexte,
            "dispositif": dispositif,
            "demande": demande,
            "champs_pieces": champs_pieces,
            "action": action,
            "de_minimis": _de_minimis(dispositif),
            "identite": formulaire_demande.identite(demande.etablissement if demande else request.membre.etablissement),
        },
    )


@entreprise_requise()
def demande_nouvelle(request, slug: str):
    dispositif = get_object_or_404(Dispositif.objects.publies(), slug=slug)
    if not request.membre.peut_deposer:
        raise PermissionDenied("Votre rôle de lecteur permet de consulter les demandes, pas d'en déposer.")
    try:
        services.verifier_ouvert(dispositif, timezone.localdate())
    except ValidationError as erreur:
        messages.error(request, erreur.messages[0])
        return redirect("aides:detail", slug)
    if (etape := eligibilite_etape(request, dispositif)) is not None:
        return etape
    return _formulaire(request, dispositif=dispositif, demande=None)


@entreprise_requise()
def demande_modifier(request, pk: int):
    demande = demande_modifiable(request, pk)
    if not demande.est_brouillon:
        return _deja_deposee(request, demande) if request.method == "POST" else redirect("espace:demande", demande.pk)
    return _formulaire(request, dispositif=demande.dispositif, demande=demande)


def _cle_reponse(request, demande: Demande) -> str:
    """What the waiting files of an answer form are signed for: this application, this user."""
    return f"reponse:{demande.pk}:{request.user.pk}"


@entreprise_requise()
def demande_detail(request, pk: int):
    demande = demande_pour_entreprise(demande_de_l_entreprise(request, pk))
    reponse_form = (
        ReponseForm(cle=_cle_reponse(request, demande), pieces=demande.pieces_dossier)
        if demande.statut == Statut.COMPLEMENT_DEMANDE
        else None
    )
    return render(request, "aides/espace/demande.html", _contexte_demande(request, demande, reponse_form))


def _contexte_demande(request, demande: Demande, reponse_form) -> dict:
    """The application page: the file, its convention (and payments received) once there is one."""
    convention = conventions_avec_versements(conventions_visibles(request.membre).filter(demande=demande)).first()
    return {
        "demande": demande,
        "reponse_form": reponse_form if request.membre.peut_deposer else None,
        "convention": convention,
    }


@entreprise_requise()
@require_POST
def demande_repondre(request, pk: int):
    demande = demande_modifiable(request, pk)
    form = ReponseForm(
        request.POST,
        request.FILES,
        cle=_cle_reponse(request, demande),
        pieces=demande.pieces.filter(message=None, remplacee_par=None),
    )
    if form.is_valid():
        try:
            services.complement_repondre(
                demande_id=demande.pk,
                par=request.user,
                texte=form.cleaned_data["texte"],
                fichiers=form.fichiers(),
                remplacees=form.cleaned_data["remplacer"],
            )
        except ValidationError as erreur:
            for champ, liste in (
                erreur.message_dict.items() if hasattr(erreur, "error_dict") else [(None, erreur.messages)]
            ):
                form.add_error(champ if champ in form.fields else None, liste)
        else:
            form.oublier_les_fichiers_en_attente()
            messages.success(request, "Votre réponse est envoyée à l'instructeur.")
            return redirect("espace:demande", demande.pk)
    # Like the application form: a valid file is kept whatever happens to the rest of the answer.
    form.garder_les_fichiers_valides()
    return render(
        request,
        "aides/espace/demande.html",
        _contexte_demande(request, demande_pour_entreprise(demande), form),
        status=200,
    )


@entreprise_requise()
def recepisse(request, pk: int):
    demande = demande_de_l_entreprise(request, pk)
    if not demande.recepisse:
        raise Http404("Le récépissé est en préparation.")
    return reponse_fichier(
        request, demande.recepisse, nom=f"recepisse-{demande.numero_depot}.pdf", type_mime="application/pdf"
    )


def piece_telecharger(request, pk: int):
    """Download a document: the company that owns it, or staff once the application is deposited."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff and not a_un_compte_entreprise(request.user):
        raise Http404
    piece = piece_visible(request, pk)
    telechargement_journaliser(
        request,
        objet="pièce de demande",
        objet_id=piece.pk,
        nom_fichier=piece.nom_original,
        siren=piece.demande.etablissement.entreprise.siren,
    )
    return reponse_telechargement(request, piece)


@entreprise_requise()
@require_POST
def piece_supprimer(request, pk: int):
    piece = get_object_or_404(PieceJointe.objects.select_related("demande"), pk=pk)
    demande_modifiable(request, piece.demande_id)
    if not piece.demande.est_brouillon or piece.message_id:
        messages.error(request, "Cette pièce fait partie d'une demande déposée : elle ne peut plus être retirée.")
        return redirect("espace:demande", piece.demande_id)
    services.piece_supprimer(piece=piece)
    messages.success(request, f"Le document « {piece.nom_original} » est retiré.")
    return redirect("espace:modifier", piece.demande_id)


# --- Conventions: review and signature (issue 8) -------------------------------------------------


@entreprise_requise()
def conventions(request):

    qs = conventions_avec_versements(conventions_visibles(request.membre))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "aides/espace/conventions.html", {"page": page})


def _convention_page(request, convention, *, status: int = 200, **formulaires):
    from .forms_convention import ScanForm, SignatureForm
    from .forms_paiement import TrancheForm
    from .services_convention import version_courante
    from .services_paiement import situation
    from .views_paiement import peut_demander

    courante = version_courante(convention)
    initial = {"version": courante.pk if courante else None}
    etat_paiements = situation(convention)
    return render(
        request,
        "aides/espace/convention.html",
        {
            "convention": convention,
            "version": courante,
            "signatures": convention.signatures.select_related("signataire", "version"),
            "etapes": convention.etapes.order_by("le", "pk"),
            "a_signer": convention.etape == "envoyee" and courante is not None,
            "peut_signer": request.membre.capacite_valide(),
            "signature_form": formulaires.get("signature_form") or SignatureForm(initial=initial),
            "scan_form": formulaires.get("scan_form") or ScanForm(initial=initial),
            "situation": etat_paiements,
            "tranche_form": TrancheForm(tranches=etat_paiements.tranches),
            "peut_demander": peut_demander(request.membre),
            "rapport": etat_paiements.rapport,
        },
        status=status,
    )


@entreprise_requise()
def convention(request, pk: int):
    return _convention_page(request, convention_de_l_entreprise(request, pk))


@entreprise_requise()
def convention_pdf(request, pk: int, version_pk: int):
    convention = convention_de_l_entreprise(request, pk)
    version = get_object_or_404(convention.versions, pk=version_pk)
    return reponse_fichier(
        request,
        version.fichier,
        nom=f"convention-{convention.numero}-v{version.numero}.pdf",
        type_mime="application/pdf",
    )


def _signer(request, pk: int, *, scan: bool):

    from .forms_convention import ScanForm, SignatureForm
    from .services_convention import convention_signer_beneficiaire

    convention = convention_de_l_entreprise(request, pk)
    form = ScanForm(request.POST, request.FILES) if scan else SignatureForm(request.POST)
    nom = "scan_form" if scan else "signature_form"
    # The password typed here is checked: wrong tries are limited per account and per address, or
    # the form would be an oracle for guessing the account's password.
    cles = {"adresse": adresse_client(request) or "inconnue", "compte": str(request.user.pk)}
    if not scan and limite_atteinte("signature", cles=cles):
        return reponse_trop_de_demandes(request, "signature")
    if form.is_valid():
        try:
            convention_signer_beneficiaire(
                convention_id=convention.pk,
                par=request.user,
                version_id=form.cleaned_data["version"],
                mot_de_passe="" if scan else form.cleaned_data["mot_de_passe"],
                scan=form.cleaned_data["scan"] if scan else None,
                adresse_ip=adresse_client(request),
            )
        except ValidationError as erreur:
            if not scan and "mot_de_passe" in getattr(erreur, "error_dict", {}):
                limite_compter("signature", cles=cles)
            if hasattr(erreur, "error_dict"):
                for champ, liste in erreur.message_dict.items():
                    form.add_error(champ if champ in form.fields else None, liste)
            else:
                form.add_error(None, erreur.messages)
        else:
            messages.success(request, f"La convention {convention.numero} est signée. La Région va la contresigner.")
            return redirect("espace:convention", convention.pk)
    convention.refresh_from_db()
    return _convention_page(request, convention, status=400, **{nom: form})


@entreprise_requise()
@require_POST
def convention_signer(request, pk: int):
    return _signer(request, pk, scan=False)


@entreprise_requise()
@require_POST
def convention_scan(request, pk: int):
    return _signer(request, pk, scan=True)


# --- Company account: members, invitations, attachment requests (issue 11) -------------------------


@entreprise_requise()
def membres(request):
    """The account's members. Every verified member reads it; administrators manage it."""
    from .acces import membres_visibles
    from .forms_comptes import InvitationForm
    from .models import Invitation

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
    from . import services_comptes
    from .forms_comptes import InvitationForm

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
            for champ, liste in erreur.message_dict.items():
                form.add_error(champ if champ in form.fields else None, liste)
        else:
            messages.success(request, f"Invitation envoyée à {form.cleaned_data['email']} (valable sept jours).")
            return redirect("espace:membres")
    messages.error(request, " ".join(e for liste in form.errors.values() for e in liste))
    return redirect("espace:membres")


@entreprise_requise(administrateur=True)
@require_POST
def invitation_annuler(request, pk: int):
    from . import services_comptes
    from .acces import invitation_de_l_entreprise

    invitation = invitation_de_l_entreprise(request, pk)
    services_comptes.invitation_annuler(invitation_id=invitation.pk, par=request.user)
    messages.success(request, f"L'invitation de {invitation.email} est annulée.")
    return redirect("espace:membres")


@entreprise_requise(administrateur=True)
def membre_detail(request, pk: int):
    """One member, for the administrator: role, signing capacity, removal; or a pending request."""
    from . import services_comptes
    from .acces import membre_de_l_entreprise
    from .forms_comptes import CapaciteForm, DecisionRattachementForm, RoleForm

    cible = membre_de_l_entreprise(request, pk)
    role_form = RoleForm(initial={"role": cible.role})
    capacite_form = CapaciteForm(
        initial={
            "capacite": cible.capacite,
            "delegation_de": cible.delegation_de,
            "delegation_debut": cible.delegation_debut,
            "delegation_fin": cible.delegation_fin,
        }
    )
    decision_form = DecisionRattachementForm()
    statut = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "role":
                role_form = RoleForm(request.POST)
                if role_form.is_valid():
                    services_comptes.membre_role_changer(
                        membre_id=cible.pk, par=request.user, role=role_form.cleaned_data["role"]
                    )
                    messages.success(request, f"Rôle de {cible.utilisateur} enregistré.")
                    return redirect("espace:membre", cible.pk)
            elif action == "capacite":
                capacite_form = CapaciteForm(request.POST, request.FILES)
                if capacite_form.is_valid():
                    donnees = capacite_form.cleaned_data
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
            elif action == "retirer":
                services_comptes.membre_retirer(membre_id=cible.pk, par=request.user)
                messages.success(request, f"{cible.utilisateur} est retiré(e) du compte.")
                return redirect("espace:membres")
            elif action in ("accepter", "refuser"):
                decision_form = DecisionRattachementForm(request.POST)
                if decision_form.is_valid():
                    services_comptes.rattachement_decider(
                        membre_id=cible.pk,
                        par=request.user,
                        accepter=action == "accepter",
                        motif=decision_form.cleaned_data["motif"],
                        role=decision_form.cleaned_data["role"],
                    )
                    messages.success(
                        request,
                        f"Demande de {cible.utilisateur} {'acceptée' if action == 'accepter' else 'refusée'}.",
                    )
                    return redirect("espace:membres")
        except ValidationError as erreur:
            form = {"role": role_form, "capacite": capacite_form}.get(action, decision_form)
            for champ, liste in (
                erreur.message_dict.items() if hasattr(erreur, "error_dict") else [(None, erreur.messages)]
            ):
                form.add_error(champ if champ in form.fields else None, liste)
        statut = 400
    return render(
        request,
        "aides/espace/membre.html",
        {
            "cible": cible,
            "role_form": role_form,
            "capacite_form": capacite_form,
            "decision_form": decision_form,
            "entreprise": request.membre.entreprise,
        },
        status=statut,
    )


@entreprise_requise(administrateur=True)
def membre_justificatif(request, pk: int, quoi: str):
    from django.http import FileResponse

    from .acces import membre_de_l_entreprise

    cible = membre_de_l_entreprise(request, pk)
    fichier = cible.justificatif if quoi == "justificatif" else cible.delegation_document
    if not fichier:
        raise Http404
    return FileResponse(
        fichier.open("rb"), as_attachment=True, filename=cible.justificatif_nom or fichier.name.rsplit("/", 1)[-1]
    )


def invitation(request, jeton: str):
    """The link of an invitation: a logged-in person accepts; a new person creates their account."""
    from django.contrib.auth import login

    from . import services_comptes
    from .forms_comptes import CompteInviteForm

    try:
        invitation = services_comptes.invitation_lire(jeton)
    except ValidationError as erreur:
        return render(request, "aides/espace/verification_echec.html", {"erreur": erreur.messages[0]}, status=400)
    from portal.models import User

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
            for champ, liste in (
                erreur.message_dict.items() if hasattr(erreur, "error_dict") else [(None, erreur.messages)]
            ):
                form.add_error(champ if champ in form.fields else None, liste)
            membre = None
        if membre is not None:
            request.session[SESSION_ENTREPRISE] = membre.entreprise_id
            messages.success(request, f"Vous êtes membre du compte de {membre.entreprise.denomination}.")
            return redirect("espace:accueil")
    return render(request, "aides/espace/invitation.html", {"invitation": invitation, "form": form})


@entreprise_requise(verifiee=False)
def rattachement_ajouter(request):
    """Ask to act for another company (an accountant, a group): a request, verified like a sign-up."""
    from . import services_comptes
    from .forms_comptes import RattachementForm

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
            for champ, liste in erreur.message_dict.items():
                form.add_error(champ if champ in form.fields else None, liste)
        else:
            request.session[SESSION_ENTREPRISE] = membre.entreprise_id
            messages.success(
                request,
                f"Votre demande de rattachement à {membre.entreprise.denomination} est envoyée. Vous verrez ses "
                "dossiers une fois le rattachement vérifié.",
            )
            return redirect("espace:accueil")
    return render(request, "aides/espace/rattachement.html", {"form": form})
