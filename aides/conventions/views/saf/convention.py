from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from aides.conventions.actions import actions_convention
from aides.conventions.forms.convention import (
    ClotureForm,
    ConventionCreerForm,
    SignatureRegionForm,
    VersementForm,
)
from aides.conventions.models.convention import ConventionAide, Etape, VersionConvention
from aides.conventions.models.versement import PieceVersement, Versement
from aides.conventions.selectors import (
    convention_pour_saf,
    total_paye,
)
from aides.conventions.services import convention as services
from aides.conventions.views.saf.tableau import ROLES_SAF
from aides.demandes.models.demande import Demande
from portal.acces import agent_requis
from portal.documents import document_reponse
from portal.formulaires import erreurs_vers_formulaire
from portal.journal import telechargement_journaliser
from portal.permissions import exiger
from portal.reseau import adresse_client


def convention_lisible(request, pk: int) -> ConventionAide:
    """The convention if the agent's role reads it (FEDER: co-financed ones only), else 404."""
    convention = get_object_or_404(ConventionAide.objects.select_related("etablissement__entreprise"), pk=pk)
    exiger(request.user, "convention", "lire", cible=convention)
    return convention


def _page(request, pk: int, *, status: int = 200, **formulaires):
    convention_lisible(request, pk)
    convention = get_object_or_404(convention_pour_saf(pk))
    toutes = sorted(convention.versions.all(), key=lambda v: -v.numero)
    versions = [v for v in toutes if v.document.pret]
    paye = total_paye(convention)
    signatures = {s.partie: s for s in convention.signatures.all()}
    contexte = {
        "convention": convention,
        "versions": versions,
        "version_courante": versions[0] if versions else None,
        "signatures": signatures,
        "paye": paye,
        "reste_a_payer": convention.montant - paye,
        "reste_a_engager": convention.montant - convention.total_versements,
        "peut_gerer": request.user.a_role(*ROLES_SAF),
        "actions": actions_convention(request.user, convention),
        "prochain_signataire": services.prochain_signataire(convention),
        "versement_form": formulaires.get("versement_form") or VersementForm(),
        "cloture_form": formulaires.get("cloture_form") or ClotureForm(),
        "signature_form": formulaires.get("signature_form") or SignatureRegionForm(),
        "erreur": formulaires.get("erreur"),
        "Etape": Etape,
        # The version asked for and not ready (waiting, being rendered, failed): the one poller follows it.
        "en_preparation": toutes[0] if toutes and not toutes[0].document.pret else None,
        "etats_suivants": Versement.SUIVANT,
    }
    return render(request, "aides/saf/convention.html", contexte, status=status)


@agent_requis()
def convention(request, pk: int):
    return _page(request, pk)


@agent_requis()
def version_telecharger(request, pk: int, version_pk: int):
    convention = convention_lisible(request, pk)
    version = get_object_or_404(VersionConvention.objects.select_related("document"), pk=version_pk, convention_id=pk)
    nom = f"convention-{convention.numero}-v{version.numero}.pdf"
    telechargement_journaliser(
        request,
        objet="convention (PDF)",
        objet_id=version.pk,
        nom_fichier=nom,
        siren=convention.etablissement.entreprise.siren,
    )
    return document_reponse(request, version.document, nom=nom)


@agent_requis(*ROLES_SAF)
def creer(request, demande_pk: int):
    # Staff never see a draft: a company's unsent application is its own (a draft's id is a 404).
    demande = get_object_or_404(
        Demande.objects.select_related("dispositif", "etablissement__entreprise").exclude(
            statut=Demande.Statut.BROUILLON
        ),
        pk=demande_pk,
    )
    if hasattr(demande, "convention"):
        return redirect("aides_saf:convention", demande.convention.pk)
    form = ConventionCreerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            convention = services.convention_creer(
                demande_id=demande.pk,
                par=request.user,
                part_feder=d.get("part_feder") or 0,
                part_epci=d.get("part_epci") or 0,
                epci=d.get("epci"),
                objet=d.get("objet") or "",
                duree_mois=d["duree_mois"],
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            services.convention_editer(convention_id=convention.pk, par=request.user)
            messages.success(request, f"Convention {convention.numero} créée ; son PDF est en préparation.")
            return redirect("aides_saf:convention", convention.pk)
    return render(
        request, "aides/saf/creer.html", {"demande": demande, "form": form}, status=400 if form.errors else 200
    )


def _action(request, pk: int, fonction, succes: str):
    try:
        fonction()
    except ValidationError as erreur:
        return _page(request, pk, status=400, erreur=" ".join(erreur.messages))
    except ConventionAide.DoesNotExist:
        raise Http404 from None
    messages.success(request, succes)
    return redirect("aides_saf:convention", pk)


def _vue_etape(service: str, succes: str):
    """A SAF move of the circuit on one convention (new PDF, sending, notification, execution): a POST,
    the service, its message; a refusal shows the page with the service's reason."""

    @agent_requis(*ROLES_SAF)
    @require_POST
    def vue(request, pk: int):
        return _action(request, pk, lambda: getattr(services, service)(convention_id=pk, par=request.user), succes)

    vue.__name__ = vue.__qualname__ = service.removeprefix("convention_")
    return vue


editer = _vue_etape("convention_editer", "Une nouvelle version du PDF est en préparation.")
envoyer = _vue_etape("convention_envoyer", "Convention envoyée au bénéficiaire pour signature.")
notifier = _vue_etape("convention_notifier", "Convention notifiée au bénéficiaire.")
executer = _vue_etape("convention_executer", "Convention en exécution.")


@agent_requis()
@require_POST
def signer_region(request, pk: int):
    if not request.user.has_perm(services.PERMISSION_SIGNATURE_REGION):
        raise PermissionDenied("La signature au nom de la Région est réservée aux agents habilités.")
    form = SignatureRegionForm(request.POST)
    if form.is_valid():
        try:
            services.convention_signer_region(
                convention_id=pk,
                par=request.user,
                version_id=form.cleaned_data["version"],
                mot_de_passe=form.cleaned_data["mot_de_passe"],
                code_otp=form.cleaned_data["code"],
                adresse_ip=adresse_client(request),
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        except ConventionAide.DoesNotExist:
            raise Http404 from None
        else:
            messages.success(request, "Convention signée au nom de la Région.")
            return redirect("aides_saf:convention", pk)
    manque = "Version de la convention manquante." if "version" in form.errors else None
    return _page(request, pk, status=400, signature_form=form, erreur=manque)


@agent_requis(*ROLES_SAF)
@require_POST
def clore(request, pk: int):
    get_object_or_404(ConventionAide, pk=pk)
    form = ClotureForm(request.POST)
    if not form.is_valid():
        return _page(request, pk, status=400, cloture_form=form)
    try:
        services.convention_clore(
            convention_id=pk, par=request.user, vers=form.cleaned_data["vers"], motif=form.cleaned_data["motif"]
        )
    except ValidationError as erreur:
        erreurs_vers_formulaire(form, erreur)
        return _page(request, pk, status=400, cloture_form=form)
    messages.success(request, "Convention close.")
    return redirect("aides_saf:convention", pk)


@agent_requis(*ROLES_SAF)
@require_POST
def versement_creer(request, pk: int):
    get_object_or_404(ConventionAide, pk=pk)
    form = VersementForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, pk, status=400, versement_form=form)
    d = form.cleaned_data
    try:
        services.versement_creer(
            convention_id=pk,
            par=request.user,
            type=d["type"],
            montant=d["montant"],
            commentaire=d.get("commentaire") or "",
            pieces=[d["justificatif"]] if d.get("justificatif") else [],
        )
    except ValidationError as erreur:
        erreurs_vers_formulaire(form, erreur)
        return _page(request, pk, status=400, versement_form=form)
    messages.success(request, "Versement enregistré.")
    return redirect("aides_saf:convention", pk)


@agent_requis(*ROLES_SAF)
@require_POST
def versement_avancer(request, pk: int, versement_pk: int):
    versement = get_object_or_404(Versement, pk=versement_pk, convention_id=pk)
    return _action(
        request,
        pk,
        lambda: services.versement_avancer(versement_id=versement.pk, par=request.user),
        "Versement mis à jour.",
    )


@agent_requis()
def piece_versement(request, pk: int, piece_pk: int):

    convention = convention_lisible(request, pk)
    piece = get_object_or_404(
        PieceVersement.objects.select_related("document"), pk=piece_pk, versement__convention_id=pk
    )
    telechargement_journaliser(
        request,
        objet="pièce de versement",
        objet_id=piece.pk,
        nom_fichier=piece.nom_original,
        siren=convention.etablissement.entreprise.siren,
    )
    return document_reponse(request, piece.document, nom=piece.nom_original)
