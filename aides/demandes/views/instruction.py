"""Instruction of applications (/agents/instruction/): inbox, one file, transitions and decisions.

Every agent reads deposited applications (the CRM is shared); acting on them needs the instructeur
or administrateur role. A form carries the version it was built from: when another agent changed
the file meanwhile, nothing is written and the agent is told who did what.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aides.catalogue.referentiels import RegimeAide
from aides.demandes.acces import ROLES_INSTRUCTION
from aides.demandes.actions import actions_demande
from aides.demandes.filters import DemandeBoiteFilterSet
from aides.demandes.forms.demande import (
    AnnotationForm,
    AssignerForm,
    ComplementForm,
    DecisionForm,
    VersionForm,
)
from aides.demandes.forms.demande.lot import LotForm
from aides.demandes.forms.messagerie import AvisDemanderForm, EchangeForm
from aides.demandes.formulaire import reponses_lisibles
from aides.demandes.lettres import lettre_en_preparation
from aides.demandes.models.demande import STATUTS_EN_COURS, Demande
from aides.demandes.selectors import (
    comptes_de_l_entreprise,
    de_minimis_situation,
    demande_pour_instruction,
    demandes_boite,
)
from aides.demandes.services import demande as services
from aides.demandes.services.demande.lot import lot_traiter
from aides.demandes.services.messagerie import echanges_marquer_lus
from portal.acces import agent_requis
from portal.formulaires import erreurs_vers_formulaire
from portal.permissions import exiger, feder_seulement


@agent_requis()
def boite(request):
    exiger(request.user, "demande", "lire", introuvable=False)
    filtres = DemandeBoiteFilterSet(request.GET, queryset=demandes_boite(), request=request)
    demandes = filtres.qs
    if feder_seulement(request.user, "demande", "lire"):
        demandes = demandes.filter(dispositif__eligible_feder=True)  # the FEDER service's own files only
    page = Paginator(demandes, 25).get_page(request.GET.get("page"))
    _ages(page.object_list)
    lot_form = LotForm() if request.user.a_role(*ROLES_INSTRUCTION) else None
    contexte = {
        "filtres": filtres.form,
        "page": page,
        "legende": _legende(filtres.statut_choisi, page),
        "lot_form": lot_form,
        "filtres_url": request.GET.urlencode(),
    }
    return render(request, "aides/instruction/boite.html", contexte)


def _ages(demandes) -> None:
    """Each file's age in days and whether it is in progress beyond its dispositif's target delay
    (the same rule as selectors.condition_hors_delai)."""
    maintenant = timezone.now()
    for demande in demandes:
        delai = timedelta(days=demande.dispositif.delai_instruction_cible_jours)
        demande.age_jours = (maintenant - demande.depose_le).days
        demande.en_retard = demande.statut in STATUTS_EN_COURS and maintenant - demande.depose_le > delai


@agent_requis(*ROLES_INSTRUCTION)
@require_POST
def lot(request):
    """Batch action on the files ticked in the inbox; back to the inbox with a French summary."""
    demandes = Demande.objects.deposees().select_related("etablissement__entreprise", "dispositif")
    if feder_seulement(request.user, "demande", "lire"):
        demandes = demandes.filter(dispositif__eligible_feder=True)
    form = LotForm(request.POST, demandes=demandes)
    retour = reverse("aides_instruction:boite") + "?" + request.POST.get("filtres", "")
    if not form.is_valid():
        for erreurs in form.errors.values():
            messages.error(request, " ".join(erreurs))
        return redirect(retour)
    donnees = form.cleaned_data
    resultat = lot_traiter(
        demandes=list(donnees["demandes"].order_by("depose_le", "pk")),
        action=donnees["action"],
        par=request.user,
        instructeur=donnees["instructeur"],
        texte=donnees["texte"],
        decision=donnees["decision"],
        motif=donnees["motif"],
        date_commission=donnees["date_commission"],
        numero_deliberation=donnees["numero_deliberation"],
    )
    (messages.warning if resultat.echecs else messages.success)(request, resultat.resume())
    return redirect(retour)


def _legende(statut: str | None, page) -> str:
    """The table's caption says what is listed and in which order (DemandeBoiteFilterSet's)."""
    nombre = page.paginator.count
    if statut == DemandeBoiteFilterSet.A_TRAITER:
        return f"Demandes à traiter ({nombre}), celle qui attend depuis le plus longtemps d'abord"
    if statut in STATUTS_EN_COURS:
        libelle = page.object_list[0].get_statut_display() if page.object_list else "filtrées"
        return f"Demandes « {libelle} » ({nombre}), la plus ancienne d'abord"
    return f"Demandes déposées ({nombre}), les plus récentes d'abord"


def _page(request, pk: int, *, status: int = 200, **formulaires):
    demande = get_object_or_404(demande_pour_instruction(pk))
    exiger(request.user, "demande", "lire", cible=demande)
    peut_instruire = request.user.a_role(*ROLES_INSTRUCTION)
    echanges_marquer_lus(demande=demande, lecteur=request.user)
    initial = {"version": demande.version}
    contexte = {
        "demande": demande,
        "peut_instruire": peut_instruire,
        "actions": actions_demande(request.user, demande),
        "de_minimis": demande.dispositif.regime == RegimeAide.DE_MINIMIS,
        "situation": de_minimis_situation(siren=demande.etablissement.entreprise.siren),
        "total_depenses": sum((ligne.montant_ht for ligne in demande.lignes.all()), 0),
        "assigner_form": formulaires.get("assigner_form")
        or AssignerForm(initial={**initial, "instructeur": demande.instructeur_id}),
        "version_form": VersionForm(initial=initial),
        "complement_form": formulaires.get("complement_form") or ComplementForm(initial=initial),
        "decision_form": formulaires.get("decision_form")
        or DecisionForm(initial={**initial, "montant_accorde": demande.montant_demande}),
        "annotation_form": formulaires.get("annotation_form") or AnnotationForm(),
        "echange_form": formulaires.get("echange_form") or EchangeForm(),
        "avis_form": formulaires.get("avis_form") or AvisDemanderForm(demandeur=request.user),
        "conflit": formulaires.get("conflit"),
        "comptes": comptes_de_l_entreprise(demande.etablissement.entreprise_id),
        "rattachement_verifie": services.rattachement_verifie(demande),
        "lettre_en_preparation": lettre_en_preparation(demande),
        "reponses_formulaire": reponses_lisibles(demande),
    }
    return render(request, "aides/instruction/demande.html", contexte, status=status)


@agent_requis()
def demande(request, pk: int):
    return _page(request, pk)


def _demande_deposee(pk: int) -> Demande:
    return get_object_or_404(Demande.objects.deposees(), pk=pk)


def _executer(request, pk: int, action, *, nom_form: str, form, succes: str):
    """Run a service; on a concurrent change show the page with the message (409), nothing written."""
    try:
        action()
    except services.ConflitDeVersion as conflit:
        return _page(request, pk, status=409, conflit=conflit.message)
    except ValidationError as erreur:
        erreurs_vers_formulaire(form, erreur)
        return _page(request, pk, status=400, **{nom_form: form})
    messages.success(request, succes)
    return redirect("aides_instruction:demande", pk)


def _formulaire_executer(request, pk: int, classe, *, nom_form: str, succes: str, service):
    """A form of the instruction page: invalid, the page again (400) with its errors; valid, the
    service `service(demande, cleaned_data)` run by _executer."""
    demande = _demande_deposee(pk)
    form = classe(request.POST)
    if not form.is_valid():
        return _page(request, pk, status=400, **{nom_form: form})
    return _executer(
        request, pk, lambda: service(demande, form.cleaned_data), nom_form=nom_form, form=form, succes=succes
    )


@agent_requis(*ROLES_INSTRUCTION)
@require_POST
def assigner(request, pk: int):
    return _formulaire_executer(
        request,
        pk,
        AssignerForm,
        nom_form="assigner_form",
        succes="Attribution enregistrée.",
        service=lambda demande, d: services.demande_assigner(
            demande_id=demande.pk, version=d["version"], instructeur=d["instructeur"], par=request.user
        ),
    )


@agent_requis(*ROLES_INSTRUCTION)
@require_POST
def commencer(request, pk: int):
    demande = _demande_deposee(pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return redirect("aides_instruction:demande", pk)
    return _executer(
        request,
        pk,
        lambda: services.instruction_commencer(
            demande_id=demande.pk, version=form.cleaned_data["version"], par=request.user
        ),
        nom_form="version_form",
        form=form,
        succes="La demande est en instruction.",
    )


@agent_requis(*ROLES_INSTRUCTION)
@require_POST
def complement(request, pk: int):
    return _formulaire_executer(
        request,
        pk,
        ComplementForm,
        nom_form="complement_form",
        succes="La demande de complément est envoyée à l'entreprise.",
        service=lambda demande, d: services.complement_demander(
            demande_id=demande.pk, version=d["version"], par=request.user, texte=d["texte"]
        ),
    )


@agent_requis(*ROLES_INSTRUCTION)
@require_POST
def decider(request, pk: int):
    return _formulaire_executer(
        request,
        pk,
        DecisionForm,
        nom_form="decision_form",
        succes="La décision est enregistrée et notifiée à l'entreprise.",
        service=lambda demande, d: services.demande_decider(
            demande_id=demande.pk,
            version=d["version"],
            par=request.user,
            decision=d["decision"],
            motif=d["motif"],
            montant_accorde=d["montant_accorde"],
            date_commission=d["date_commission"],
            numero_deliberation=d["numero_deliberation"],
        ),
    )


@agent_requis(*ROLES_INSTRUCTION)
@require_POST
def annoter(request, pk: int):
    demande = _demande_deposee(pk)
    form = AnnotationForm(request.POST)
    if not form.is_valid():
        return _page(request, pk, status=400, annotation_form=form)
    services.annotation_ajouter(demande=demande, par=request.user, texte=form.cleaned_data["texte"])
    messages.success(request, "Annotation enregistrée.")
    return redirect("aides_instruction:demande", pk)
