"""The messaging of an application (company space and instruction) and expert opinions.

Writes go through aides.demandes.services.messagerie and .avis; every view taking an id goes through
an access-checked getter (aides.demandes.acces) or the instruction's « deposited file » rule."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aides.demandes.acces import ROLES_INSTRUCTION, avis_de_l_expert, demande_modifiable, entreprise_requise
from aides.demandes.forms.messagerie import AvisDemanderForm, AvisRendreForm, EchangeForm
from aides.demandes.models.avis import AvisExpert
from aides.demandes.models.demande import Demande
from aides.demandes.selectors import demande_pour_entreprise
from aides.demandes.services import avis as services_avis
from aides.demandes.services.messagerie import echange_envoyer
from aides.demandes.views.espace import _contexte_demande
from aides.demandes.views.instruction import _page
from portal.acces import agent_requis
from portal.permissions import exiger


def _erreurs(form, erreur: ValidationError) -> None:
    if hasattr(erreur, "error_dict"):
        for champ, liste in erreur.message_dict.items():
            form.add_error(champ if champ in form.fields else None, liste)
    else:
        form.add_error(None, erreur.messages)


def _envoyer(request, demande: Demande, form: EchangeForm) -> bool:
    if not form.is_valid():
        return False
    try:
        echange_envoyer(
            demande_id=demande.pk, par=request.user, texte=form.cleaned_data["texte"], fichiers=form.fichiers()
        )
    except ValidationError as erreur:
        _erreurs(form, erreur)
        return False
    return True


@entreprise_requise()
@require_POST
def echange_entreprise(request, pk: int):
    """The company writes to the instruction (a lecteur may read the thread, not write: 403)."""
    demande = demande_modifiable(request, pk)
    form = EchangeForm(request.POST, request.FILES)
    if _envoyer(request, demande, form):
        messages.success(request, "Votre message est envoyé à l'instruction.")
        return redirect(reverse("espace:demande", args=[pk]) + "#messagerie")
    contexte = {**_contexte_demande(request, demande_pour_entreprise(demande), None), "echange_form": form}
    return render(request, "aides/espace/demande.html", contexte, status=400)


def _demande_a_instruire(request, pk: int) -> Demande:
    demande = get_object_or_404(Demande.objects.deposees(), pk=pk)
    exiger(request.user, "demande", "instruire", cible=demande)
    return demande


@agent_requis(*ROLES_INSTRUCTION)
@require_POST
def echange_instruction(request, pk: int):
    demande = _demande_a_instruire(request, pk)
    form = EchangeForm(request.POST, request.FILES)
    if _envoyer(request, demande, form):
        messages.success(request, "Votre message est envoyé à l'entreprise.")
        return redirect(reverse("aides_instruction:demande", args=[pk]) + "#messagerie")
    return _page(request, pk, status=400, echange_form=form)


@agent_requis(*ROLES_INSTRUCTION)
@require_POST
def avis_demander(request, pk: int):
    demande = _demande_a_instruire(request, pk)
    form = AvisDemanderForm(request.POST, demandeur=request.user)
    if form.is_valid():
        try:
            services_avis.avis_demander(demande_id=demande.pk, par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            _erreurs(form, erreur)
        else:
            messages.success(request, "La demande d'avis est envoyée à l'expert.")
            return redirect(reverse("aides_instruction:demande", args=[pk]) + "#avis")
    return _page(request, pk, status=400, avis_form=form)


def avis_page(request, pk: int, *, gabarit_base: str, liste: str):
    """The expert's page: the question, a summary of the file, and the answer form (once)."""
    avis = avis_de_l_expert(request.user, pk)
    form = AvisRendreForm(request.POST or None)
    if request.method == "POST" and not avis.est_rendu and form.is_valid():
        try:
            services_avis.avis_rendre(avis_id=avis.pk, par=request.user, texte=form.cleaned_data["avis"])
        except ValidationError as erreur:
            _erreurs(form, erreur)
        else:
            messages.success(request, "Votre avis est transmis à l'instructeur. Merci.")
            return redirect(request.path)
    statut = 400 if form.errors else 200
    return render(
        request,
        "aides/avis/expert.html",
        {"avis": avis, "form": form, "base": gabarit_base, "liste": liste},
        status=statut,
    )


@agent_requis()
def avis_expert(request, pk: int):
    """An agent asked for an opinion answers here, whatever their role."""
    return avis_page(request, pk, gabarit_base="agents/base.html", liste="aides_instruction:avis-liste")


def avis_liste_page(request, *, gabarit_base: str, lien: str):
    """The opinions asked to the current user: pending first (nearest deadline), then given ones."""
    avis = (
        AvisExpert.objects.de_l_expert(request.user)
        .select_related("demande__dispositif", "demande_par")
        .order_by(F("rendu_le").desc(nulls_first=True), "rendre_avant", "pk")
    )
    page = Paginator(avis, 25).get_page(request.GET.get("page"))
    return render(request, "aides/avis/liste.html", {"page": page, "base": gabarit_base, "lien": lien})


@agent_requis()
def avis_a_rendre(request):
    return avis_liste_page(request, gabarit_base="agents/base.html", lien="aides_instruction:avis")
