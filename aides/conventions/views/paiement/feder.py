from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aides.conventions.forms.paiement import ControleFederForm
from aides.conventions.models.feder import OperationFeder
from aides.conventions.models.paiement import (
    DemandeVersement,
)
from aides.conventions.services import paiement as services
from aides.conventions.views.saf import ROLES_SAF
from portal.acces import agent_requis
from portal.formulaires import formulaire_soumettre
from portal.permissions import exiger


def _page_operation(request, operation, *, status=200, erreur="", controle_form=None):

    acceptees = operation.convention.demandes_versement.filter(
        etat=DemandeVersement.Etat.ACCEPTEE, appel_feder__isnull=True
    )
    return render(
        request,
        "aides/saf/feder_operation.html",
        {
            "operation": operation,
            "appels": operation.appels.select_related("demande_versement").prefetch_related("lignes"),
            "controles": operation.controles.order_by("-le"),
            "acceptees": acceptees,
            "peut_gerer": request.user.a_role(*ROLES_SAF),
            "controle_form": controle_form or ControleFederForm(),
            "erreur": erreur,
        },
        status=status,
    )


def _operation(pk: int):

    return get_object_or_404(OperationFeder.objects.select_related("convention__etablissement__entreprise"), pk=pk)


@agent_requis()
def feder_operations(request):

    page = Paginator(
        OperationFeder.objects.select_related("convention__etablissement__entreprise").order_by("code_operation"), 50
    ).get_page(request.GET.get("page"))
    return render(request, "aides/saf/feder_operations.html", {"page": page})


@agent_requis()
def feder_operation(request, pk: int):
    operation = _operation(pk)
    # An operation is read as its convention: co-financed, so the FEDER service reads it too.
    exiger(request.user, "convention", "lire", cible=operation.convention)
    return _page_operation(request, operation)


@agent_requis(*ROLES_SAF)
@require_POST
def feder_appel_creer(request, pk: int):
    operation = _operation(pk)
    try:
        services.appel_de_fonds_creer(
            operation_id=operation.pk,
            demande_versement_id=int(request.POST.get("demande_versement") or 0),
            par=request.user,
        )
    except (ValidationError, DemandeVersement.DoesNotExist) as erreur:
        texte = " ".join(erreur.messages) if isinstance(erreur, ValidationError) else "Choisissez une demande acceptée."
        return _page_operation(request, operation, status=400, erreur=texte)
    messages.success(request, "Appel de fonds créé depuis la demande de versement.")
    return redirect("aides_saf:feder-operation", pk)


@agent_requis(*ROLES_SAF)
@require_POST
def feder_appel_avancer(request, pk: int, appel_pk: int):
    operation = _operation(pk)
    appel = get_object_or_404(operation.appels, pk=appel_pk)
    try:
        services.appel_de_fonds_avancer(appel_id=appel.pk, par=request.user, rejeter="rejeter" in request.POST)
    except ValidationError as erreur:
        return _page_operation(request, operation, status=400, erreur=" ".join(erreur.messages))
    messages.success(request, f"Appel de fonds n° {appel.numero} mis à jour.")
    return redirect("aides_saf:feder-operation", pk)


@agent_requis(*ROLES_SAF)
@require_POST
def feder_controle(request, pk: int):

    operation = _operation(pk)
    return formulaire_soumettre(
        request,
        ControleFederForm(request.POST),
        lambda d: services.controle_feder_enregistrer(operation_id=operation.pk, par=request.user, **d),
        succes="Contrôle enregistré.",
        suite=reverse("aides_saf:feder-operation", args=[pk]),
        page=lambda form: _page_operation(request, operation, status=400, controle_form=form),
    )
