"""CRM actions on a project review's page (agenda, minutes, decisions) and its PDF documents.

The page itself is `views_revues_pages.revue_page` (/agents/crm/revues/<pk>/); a rejected form is
shown on it again, next to its errors and with what was typed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.acces import agent_requis
from portal.documents import document_reponse
from portal.formulaires import erreurs_vers_formulaire
from territoires.acces import revue_obtenir

from . import revues
from .forms_revues import CompteRenduForm, DecisionForm, PointRevueForm
from .models import DocumentRevue, PointRevue
from .views_revues_pages import revue_page


def _page_revue(revue_pk: int) -> str:
    return reverse("crm_agents:revue-detail", args=[revue_pk])


def _reafficher(request, revue, **formulaires):
    return revue_page(request, revue, formulaires=formulaires)


@agent_requis()
@require_POST
def point_ajouter(request, revue_pk: int):
    revue = revue_obtenir(request, revue_pk, pour_modifier=True)
    form = PointRevueForm(request.POST)
    if form.is_valid():
        try:
            point = revues.point_ajouter(
                revue=revue,
                entreprise=form.cleaned_data["entreprise"],
                sujet=form.cleaned_data["sujet"],
                par=request.user,
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, f"{point.entreprise.denomination} ajoutée à l'ordre du jour.")
            return redirect(_page_revue(revue.pk) + f"#point-{point.pk}")
    return _reafficher(request, revue, point=form)


@agent_requis()
@require_POST
def point_retirer(request, pk: int):
    point = get_object_or_404(PointRevue.objects.select_related("revue", "entreprise"), pk=pk)
    revue_obtenir(request, point.revue_id, pour_modifier=True)
    revues.point_retirer(point=point, par=request.user)
    messages.success(request, f"{point.entreprise.denomination} retirée de l'ordre du jour.")
    return redirect(_page_revue(point.revue_id))


@agent_requis()
@require_POST
def compte_rendu_enregistrer(request, revue_pk: int):
    revue = revue_obtenir(request, revue_pk, pour_modifier=True)
    form = CompteRenduForm(request.POST, points=list(revues.points_de_revue(revue)))
    if form.is_valid():
        changes = revues.compte_rendu_enregistrer(revue=revue, textes=form.textes(), par=request.user)
        pluriel = "s" if changes > 1 else ""
        messages.success(request, f"Compte rendu enregistré ({changes} point{pluriel} modifié{pluriel}).")
        return redirect(_page_revue(revue.pk) + "#titre-compte-rendu")
    return _reafficher(request, revue, compte_rendu=form)


@agent_requis()
@require_POST
def decision_ajouter(request, revue_pk: int):
    revue = revue_obtenir(request, revue_pk, pour_modifier=True)
    form = DecisionForm(request.POST, points=list(revues.points_de_revue(revue)))
    if form.is_valid():
        d = form.cleaned_data
        try:
            tache = revues.decision_ajouter(
                point=d["point"], titre=d["titre"], assignee=d["assignee"], echeance=d["echeance"], par=request.user
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur)
        else:
            messages.success(request, f"Décision enregistrée : tâche confiée à {tache.assignee}.")
            return redirect(_page_revue(revue.pk) + f"#point-{d['point'].pk}")
    return _reafficher(request, revue, decision=form)


# --- PDF documents ---------------------------------------------------------------------------------


@agent_requis()
@require_POST
def document_demander(request, revue_pk: int, type: str):
    revue = revue_obtenir(request, revue_pk)
    if type not in DocumentRevue.Type.values:
        raise Http404("Document inconnu.")
    document = revues.document_demander(revue=revue, type=type, par=request.user)
    return redirect("crm_agents:revue-document", pk=document.pk)


@never_cache
@agent_requis()
@require_GET
def document(request, pk):
    document_revue = get_object_or_404(DocumentRevue.objects.select_related("revue", "document"), pk=pk)
    return render(
        request, "crm/revues/document.html", {"document_revue": document_revue, "document": document_revue.document}
    )


@agent_requis()
@require_GET
def document_fichier(request, pk):
    document_revue = get_object_or_404(DocumentRevue.objects.select_related("revue", "document"), pk=pk)
    nom = f"revue-de-projets-{document_revue.revue.date:%Y-%m-%d}-{document_revue.type.replace('_', '-')}.pdf"
    return document_reponse(request, document_revue.document, nom=nom)
