"""The company space (/espace/): sign-up, the company's applications, answers to the instruction."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import RegimeAide
from aides.demandes import formulaire as formulaire_demande
from aides.demandes.acces import (
    SESSION_ENTREPRISE,
    demande_de_l_entreprise,
    demande_modifiable,
    entreprise_requise,
    piece_visible,
)
from aides.demandes.actions import actions_demande
from aides.demandes.documents import telechargement_verifie
from aides.demandes.extensions import contexte_demande
from aides.demandes.forms.demande import (
    DeclarationsFormSet,
    DemandeForm,
    FichierField,
    JetonCreationForm,
    PiecesForm,
    ReponseForm,
    declarations_initiales,
)
from aides.demandes.forms.indicateurs import IndicateursPrevusForm
from aides.demandes.forms.messagerie import EchangeForm
from aides.demandes.lettres import lettre_en_preparation
from aides.demandes.models.demande import Demande, PieceJointe
from aides.demandes.selectors import demande_pour_entreprise
from aides.demandes.services import demande as services
from aides.demandes.services.indicateurs import indicateurs_manquants, indicateurs_prevus_enregistrer
from aides.demandes.services.messagerie import echanges_marquer_lus
from aides.demandes.views.eligibilite import ETAPE as ETAPE_ELIGIBILITE
from aides.demandes.views.eligibilite import eligibilite_etape
from portal.documents import document_reponse
from portal.formulaires import erreurs_vers_formulaire

# --- Applications -------------------------------------------------------------------------------


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
    echanges_marquer_lus(demande=demande, lecteur=request.user)
    reponse_form = (
        ReponseForm(cle=_cle_reponse(request, demande), pieces=demande.pieces_dossier)
        if "repondre" in actions_demande(request.user, demande, membre=request.membre)
        else None
    )
    return render(request, "aides/espace/demande.html", _contexte_demande(request, demande, reponse_form))


def _contexte_demande(request, demande: Demande, reponse_form) -> dict:
    """The application page: the file, and what the sub-domains above add (its convention, payments)."""
    return {
        "demande": demande,
        "reponse_form": reponse_form if request.membre.peut_deposer else None,
        "echange_form": EchangeForm() if request.membre.peut_deposer and not demande.est_brouillon else None,
        "lettre_en_preparation": lettre_en_preparation(demande),
        "actions": actions_demande(request.user, demande, membre=request.membre),
        **contexte_demande(request, demande),
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
            erreurs_vers_formulaire(form, erreur)
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
    if demande.recepisse is None:
        raise Http404("Cette demande n'est pas déposée.")
    return document_reponse(request, demande.recepisse, nom=f"recepisse-{demande.numero_depot}.pdf")


def piece_telecharger(request, pk: int):
    """Download a document: the company that owns it, or staff once the application is deposited."""
    return telechargement_verifie(
        request,
        pk,
        obtenir=piece_visible,
        objet="pièce de demande",
        siren=lambda piece: piece.demande.etablissement.entreprise.siren,
    )


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
