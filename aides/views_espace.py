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

from . import services_demande as services
from .acces import demande_de_l_entreprise, entreprise_requise, piece_visible, representant_de
from .documents import reponse_telechargement
from .forms_demande import (
    DeclarationsFormSet,
    DemandeForm,
    InscriptionForm,
    JetonCreationForm,
    LignesFormSet,
    PiecesForm,
    ReponseForm,
    declarations_initiales,
    lignes_initiales,
)
from .models import Demande, Dispositif, PieceJointe, Statut
from .referentiels import RegimeAide
from .selectors_demande import demande_pour_entreprise, demandes_de_l_entreprise

# --- Account ------------------------------------------------------------------------------------


def inscription(request):
    if request.user.is_authenticated:
        return redirect("espace:accueil")
    form = InscriptionForm(request.POST or None)
    suite = services.suite_valide(request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            services.representant_inscrire(
                email=donnees["email"],
                mot_de_passe=donnees["mot_de_passe"],
                siret=donnees["siret"],
                prenom=donnees["prenom"],
                nom=donnees["nom"],
                raison_sociale=donnees["raison_sociale"],
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
    if request.representant.email_verifie:
        return redirect("espace:accueil")
    if request.method == "POST":
        services.verification_envoyer(user=request.user)
        messages.success(request, f"Un nouveau lien a été envoyé à {request.user.email}.")
        return redirect("espace:verification-attente")
    return render(request, "aides/espace/verification_attente.html")


# --- Applications -------------------------------------------------------------------------------


@entreprise_requise()
def accueil(request):
    representant = request.representant
    page = Paginator(demandes_de_l_entreprise(representant.entreprise_id), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "aides/espace/accueil.html",
        {"page": page, "representant": representant, "entreprise": representant.entreprise},
    )


def _de_minimis(dispositif: Dispositif) -> bool:
    return dispositif.regime == RegimeAide.DE_MINIMIS


def _formulaire(request, *, dispositif: Dispositif, demande: Demande | None):
    """GET shows the form; POST saves every valid file at once, then the draft, then deposits."""
    de_minimis = _de_minimis(dispositif)
    if request.method != "POST":
        contexte = {
            "form": DemandeForm(instance=demande, de_minimis=de_minimis),
            "lignes": LignesFormSet(prefix="lignes", initial=lignes_initiales(demande) if demande else None),
            "declarations": DeclarationsFormSet(
                prefix="deminimis", initial=declarations_initiales(demande) if demande else None
            )
            if de_minimis
            else None,
            "pieces": PiecesForm(documents_requis=dispositif.documents_requis),
            "jeton_form": JetonCreationForm(initial={"jeton": uuid.uuid4()}) if demande is None else None,
        }
        return _rendre_formulaire(request, dispositif, demande, contexte)

    if demande is None:
        try:
            demande = services.demande_creer(
                dispositif=dispositif,
                representant=request.representant,
                jeton=JetonCreationForm(request.POST).jeton_lu(),
            )
        except ValidationError as erreur:
            messages.error(request, erreur.messages[0])
            return redirect("espace:accueil")
    if not demande.est_brouillon:
        return _deja_deposee(request, demande)

    form = DemandeForm(request.POST, instance=demande, de_minimis=de_minimis)
    lignes = LignesFormSet(request.POST, prefix="lignes")
    declarations = DeclarationsFormSet(request.POST, prefix="deminimis") if de_minimis else None
    pieces = PiecesForm(request.POST, request.FILES, documents_requis=dispositif.documents_requis)
    pieces.is_valid()
    try:
        # A valid file is kept whatever happens to the rest of the form.
        for nom, type_piece in pieces.types.items():
            verifie = pieces.cleaned_data.get(nom)
            if verifie:
                services.piece_ajouter(demande=demande, verifie=verifie, par=request.user, type_piece=type_piece)
        valide = all([form.is_valid(), lignes.is_valid(), declarations is None or declarations.is_valid()])
        erreurs_depot: list[str] = []
        if valide:
            champs = {nom: valeur for nom, valeur in form.cleaned_data.items()}
            services.demande_enregistrer(
                demande=demande,
                champs=champs,
                lignes=[services.LigneSaisie(**ligne) for ligne in lignes.lignes_remplies()],
                declarations=[services.DeclarationSaisie(**d) for d in declarations.lignes_remplies()]
                if declarations is not None
                else None,
            )
            if request.POST.get("action") == "deposer" and not pieces.errors:
                try:
                    demande, maintenant = services.demande_deposer(demande_id=demande.pk, par=request.user)
                except ValidationError as erreur:
                    erreurs_depot = erreur.messages
                else:
                    if maintenant:
                        messages.success(request, f"Votre demande est déposée sous le numéro {demande.numero_depot}.")
                    return redirect("espace:demande", demande.pk)
            elif not pieces.errors:
                messages.success(request, "Brouillon enregistré. Vous pouvez le reprendre à tout moment.")
                return redirect("espace:modifier", demande.pk)
    except ValidationError:
        demande.refresh_from_db()
        if not demande.est_brouillon:
            return _deja_deposee(request, demande)
        raise
    contexte = {
        "form": form,
        "lignes": lignes,
        "declarations": declarations,
        "pieces": pieces,
        "erreurs_depot": erreurs_depot,
        "enregistre": valide,
    }
    return _rendre_formulaire(request, dispositif, demande, contexte)


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
        },
    )


@entreprise_requise()
def demande_nouvelle(request, slug: str):
    dispositif = get_object_or_404(Dispositif.objects.publies(), slug=slug)
    try:
        services.verifier_ouvert(dispositif, timezone.localdate())
    except ValidationError as erreur:
        messages.error(request, erreur.messages[0])
        return redirect("aides:detail", slug)
    return _formulaire(request, dispositif=dispositif, demande=None)


@entreprise_requise()
def demande_modifier(request, pk: int):
    demande = demande_de_l_entreprise(request, pk)
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
    return render(request, "aides/espace/demande.html", {"demande": demande, "reponse_form": reponse_form})


@entreprise_requise()
@require_POST
def demande_repondre(request, pk: int):
    demande = demande_de_l_entreprise(request, pk)
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
        {"demande": demande_pour_entreprise(demande), "reponse_form": form},
        status=200,
    )


@entreprise_requise()
def recepisse(request, pk: int):
    demande = demande_de_l_entreprise(request, pk)
    if not demande.recepisse:
        raise Http404("Le récépissé est en préparation.")
    from django.http import FileResponse

    return FileResponse(
        demande.recepisse.open("rb"),
        as_attachment=True,
        filename=f"recepisse-{demande.numero_depot}.pdf",
        content_type="application/pdf",
    )


def piece_telecharger(request, pk: int):
    """Download a document: the company that owns it, or staff once the application is deposited."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff and representant_de(request.user) is None:
        raise PermissionDenied("Ce compte n'est rattaché à aucune entreprise.")
    return reponse_telechargement(piece_visible(request, pk))


@entreprise_requise()
@require_POST
def piece_supprimer(request, pk: int):
    piece = get_object_or_404(
        PieceJointe.objects.select_related("demande"),
        pk=pk,
        demande__etablissement__entreprise_id=request.representant.entreprise_id,
    )
    if not piece.demande.est_brouillon or piece.message_id:
        messages.error(request, "Cette pièce fait partie d'une demande déposée : elle ne peut plus être retirée.")
        return redirect("espace:demande", piece.demande_id)
    services.piece_supprimer(piece=piece)
    messages.success(request, f"Le document « {piece.nom_original} » est retiré.")
    return redirect("espace:modifier", piece.demande_id)


# --- Conventions: review and signature (issue 8) -------------------------------------------------


def _convention_de_l_entreprise(request, pk: int):
    from .models import ConventionAide

    return get_object_or_404(
        ConventionAide.objects.select_related("dispositif", "etablissement__entreprise"),
        pk=pk,
        etablissement__entreprise_id=request.representant.entreprise_id,
    )


@entreprise_requise()
def conventions(request):
    from .models import ConventionAide

    qs = (
        ConventionAide.objects.de_l_entreprise(request.representant.entreprise_id)
        .select_related("dispositif")
        .order_by("-cree_le")
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "aides/espace/conventions.html", {"page": page})


def _convention_page(request, convention, *, status: int = 200, **formulaires):
    from .forms_convention import ScanForm, SignatureForm
    from .services_convention import version_courante

    courante = version_courante(convention)
    initial = {"version": courante.pk if courante else None}
    return render(
        request,
        "aides/espace/convention.html",
        {
            "convention": convention,
            "version": courante,
            "signatures": convention.signatures.select_related("signataire", "version"),
            "etapes": convention.etapes.order_by("le", "pk"),
            "a_signer": convention.etape == "envoyee" and courante is not None,
            "signature_form": formulaires.get("signature_form") or SignatureForm(initial=initial),
            "scan_form": formulaires.get("scan_form") or ScanForm(initial=initial),
        },
        status=status,
    )


@entreprise_requise()
def convention(request, pk: int):
    return _convention_page(request, _convention_de_l_entreprise(request, pk))


@entreprise_requise()
def convention_pdf(request, pk: int, version_pk: int):
    from django.http import FileResponse

    convention = _convention_de_l_entreprise(request, pk)
    version = get_object_or_404(convention.versions, pk=version_pk)
    return FileResponse(
        version.fichier.open("rb"),
        filename=f"convention-{convention.numero}-v{version.numero}.pdf",
        content_type="application/pdf",
    )


def _signer(request, pk: int, *, scan: bool):
    from .forms_convention import ScanForm, SignatureForm
    from .services_convention import convention_signer_beneficiaire

    convention = _convention_de_l_entreprise(request, pk)
    form = ScanForm(request.POST, request.FILES) if scan else SignatureForm(request.POST)
    nom = "scan_form" if scan else "signature_form"
    if form.is_valid():
        try:
            convention_signer_beneficiaire(
                convention_id=convention.pk,
                par=request.user,
                version_id=form.cleaned_data["version"],
                mot_de_passe="" if scan else form.cleaned_data["mot_de_passe"],
                scan=form.cleaned_data["scan"] if scan else None,
                adresse_ip=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as erreur:
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
