"""The company space (/espace/): its home page, its aid conventions and their signature."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from aides.conventions.acces import convention_de_l_entreprise, conventions_visibles
from aides.conventions.actions import MACHINE_CONVENTION, actions_convention
from aides.conventions.forms.convention import ScanForm, SignatureForm
from aides.conventions.forms.paiement import TrancheForm
from aides.conventions.selectors import conventions_avec_versements
from aides.conventions.services.convention import convention_signer_beneficiaire, version_courante
from aides.conventions.services.paiement import situation
from aides.demandes.acces import demandes_visibles, entreprise_requise
from aides.demandes.selectors import contacts_de_l_entreprise
from portal.documents import document_reponse
from portal.formulaires import erreurs_vers_formulaire
from portal.limites import limite_atteinte, limite_compter, reponse_trop_de_demandes
from portal.reseau import adresse_client


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


@entreprise_requise()
def conventions(request):

    qs = conventions_avec_versements(conventions_visibles(request.membre))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "aides/espace/conventions.html", {"page": page})


def _convention_page(request, convention, *, status: int = 200, **formulaires):

    courante = version_courante(convention)
    initial = {"version": courante.pk if courante else None}
    etat_paiements = situation(convention)
    actions = actions_convention(request.user, convention, membre=request.membre)
    etape_permet = MACHINE_CONVENTION.actions_de(convention.etape)
    return render(
        request,
        "aides/espace/convention.html",
        {
            "convention": convention,
            "version": courante,
            "signatures": convention.signatures.select_related("signataire", "version"),
            "etapes": convention.etapes.order_by("le", "pk"),
            # What the step allows, and what this member may do of it (sign, ask for a payment).
            "etape_permet": etape_permet,
            "actions": actions,
            "a_signer": "signer_beneficiaire" in etape_permet and courante is not None,
            "peut_signer": "signer_beneficiaire" in actions,
            "signature_form": formulaires.get("signature_form") or SignatureForm(initial=initial),
            "scan_form": formulaires.get("scan_form") or ScanForm(initial=initial),
            "situation": etat_paiements,
            "tranche_form": TrancheForm(tranches=etat_paiements.tranches),
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
    version = get_object_or_404(convention.versions.select_related("document"), pk=version_pk)
    return document_reponse(request, version.document, nom=f"convention-{convention.numero}-v{version.numero}.pdf")


def _signer(request, pk: int, *, scan: bool):

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
            erreurs_vers_formulaire(form, erreur)
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


def contexte_demande(request, demande) -> dict:
    """Registered in AidesConfig.ready(): the application page shows its convention and payments."""
    convention = conventions_avec_versements(conventions_visibles(request.membre).filter(demande=demande)).first()
    return {"convention": convention}
