"""The instruction inbox (/agents/instruction/): the files an agent may read, filtered; the filters
each agent saved (theirs only); exports of the filtered files with every answer of their forms,
prepared in the background with their progress (aides.demandes.export)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aides.demandes.acces import ROLES_INSTRUCTION
from aides.demandes.export import export_nom_fichier
from aides.demandes.filters import DemandeBoiteFilterSet, boite_filtree
from aides.demandes.forms.demande.lot import LotForm
from aides.demandes.forms.filtres import ExportForm, FiltreForm
from aides.demandes.models.demande import STATUTS_EN_COURS
from aides.demandes.models.filtres import ExportDemandes, FiltreEnregistre
from aides.demandes.services.filtres import export_demander, filtre_enregistrer, filtre_supprimer
from portal.acces import agent_requis
from portal.documents import document_reponse
from portal.formulaires import erreurs_vers_formulaire
from portal.permissions import exiger


def _adresse_boite(requete: str) -> str:
    return reverse("aides_instruction:boite") + (f"?{requete}" if requete else "")


def _boite_page(request, donnees: QueryDict, *, filtre_form=None, status: int = 200):
    filtres, demandes = boite_filtree(user=request.user, donnees=donnees)
    page = Paginator(demandes, 25).get_page(donnees.get("page"))
    _ages(page.object_list)
    requete = donnees.urlencode()
    contexte = {
        "filtres": filtres.form,
        "page": page,
        "legende": _legende(filtres.statut_choisi, page),
        "lot_form": LotForm() if request.user.a_role(*ROLES_INSTRUCTION) else None,
        "filtres_url": requete,
        "filtres_enregistres": FiltreEnregistre.objects.filter(agent=request.user),
        "filtre_form": filtre_form or FiltreForm(initial={"requete": requete}, prefix="filtre"),
        "export_form": ExportForm(initial={"requete": requete}, prefix="export"),
        "exports": ExportDemandes.objects.filter(demande_par=request.user).select_related("document")[:3],
    }
    return render(request, "aides/instruction/boite.html", contexte, status=status)


@agent_requis()
def boite(request):
    exiger(request.user, "demande", "lire", introuvable=False)
    return _boite_page(request, request.GET)


def _ages(demandes) -> None:
    """Each file's age in days (whether it is late comes from the query: `hors_delai`)."""
    maintenant = timezone.now()
    for demande in demandes:
        demande.age_jours = (maintenant - demande.depose_le).days


def _legende(statut: str | None, page) -> str:
    """The table's caption says what is listed and in which order (DemandeBoiteFilterSet's)."""
    nombre = page.paginator.count
    if statut == DemandeBoiteFilterSet.A_TRAITER:
        return f"Demandes à traiter ({nombre}), celle qui attend depuis le plus longtemps d'abord"
    if statut in STATUTS_EN_COURS:
        libelle = page.object_list[0].get_statut_display() if page.object_list else "filtrées"
        return f"Demandes « {libelle} » ({nombre}), la plus ancienne d'abord"
    return f"Demandes déposées ({nombre}), les plus récentes d'abord"


@agent_requis()
@require_POST
def filtre_enregistrer_vue(request):
    """« Enregistrer ce filtre »: back to the inbox it names; a refused name shows the inbox again
    with the error next to the field (400)."""
    exiger(request.user, "demande", "lire", introuvable=False)
    form = FiltreForm(request.POST, prefix="filtre")
    donnees = QueryDict(request.POST.get("filtre-requete", ""))
    if form.is_valid():
        try:
            filtre = filtre_enregistrer(agent=request.user, nom=form.cleaned_data["nom"], requete=donnees.urlencode())
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, f"Filtre « {filtre.nom} » enregistré.")
            return redirect(_adresse_boite(filtre.requete))
    return _boite_page(request, donnees, filtre_form=form, status=400)


@agent_requis()
@require_POST
def filtre_supprimer_vue(request, pk: int):
    filtre = get_object_or_404(FiltreEnregistre, pk=pk, agent=request.user)  # another agent's: 404
    filtre_supprimer(filtre=filtre, par=request.user)
    messages.success(request, f"Filtre « {filtre.nom} » supprimé.")
    return redirect("aides_instruction:boite")


@agent_requis()
@require_POST
def export_demander_vue(request):
    exiger(request.user, "demande", "lire", introuvable=False)
    form = ExportForm(request.POST, prefix="export")
    if not form.is_valid():
        messages.error(request, "Choisissez le format XLSX ou CSV.")
        return redirect(_adresse_boite(request.POST.get("export-requete", "")))
    export = export_demander(par=request.user, requete=form.cleaned_data["requete"], format=form.cleaned_data["format"])
    return redirect("aides_instruction:export", export.pk)


def _export_de(request, pk: int) -> ExportDemandes:
    """The access-checked getter: the agent's own export, while their role reads applications."""
    exiger(request.user, "demande", "lire")
    return get_object_or_404(ExportDemandes.objects.select_related("document"), pk=pk, demande_par=request.user)


@never_cache
@agent_requis()
def export_page(request, pk: int):
    export = _export_de(request, pk)
    contexte = {"export": export, "document": export.document, "retour": _adresse_boite(export.requete)}
    return render(request, "aides/instruction/export.html", contexte)


@agent_requis()
def export_fichier(request, pk: int):
    export = _export_de(request, pk)
    return document_reponse(request, export.document, nom=export_nom_fichier(export))
