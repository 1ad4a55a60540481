"""Decision letters: download by the company (its own applications) and by staff, regeneration."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from aides.demandes.acces import ROLES_INSTRUCTION, demande_de_l_entreprise, entreprise_requise
from aides.demandes.lettres import lettre_regenerer
from aides.demandes.models.demande import Demande
from aides.demandes.models.lettre import LettreDecision
from portal.acces import agent_requis
from portal.documents import document_reponse
from portal.permissions import exiger


def _reponse(request, lettre: LettreDecision):
    return document_reponse(request, lettre.document, nom=lettre.nom_fichier)


def _demande_deposee(request, pk: int) -> Demande:
    """A deposited application the agent may read (outsider: 404)."""
    demande = get_object_or_404(Demande.objects.deposees().select_related("dispositif"), pk=pk)
    exiger(request.user, "demande", "lire", cible=demande)
    return demande


@entreprise_requise()
def lettre_entreprise(request, pk: int, lettre_pk: int):
    demande = demande_de_l_entreprise(request, pk)
    return _reponse(request, get_object_or_404(demande.lettres.select_related("demande", "document"), pk=lettre_pk))


@agent_requis()
def lettre_instruction(request, pk: int, lettre_pk: int):
    demande = _demande_deposee(request, pk)
    return _reponse(request, get_object_or_404(demande.lettres.select_related("demande", "document"), pk=lettre_pk))


@agent_requis(*ROLES_INSTRUCTION)
@require_POST
def lettre_regenerer_vue(request, pk: int):
    demande = _demande_deposee(request, pk)
    try:
        lettre_regenerer(demande_id=demande.pk, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, "Une nouvelle version de la lettre de décision est en préparation.")
    return redirect("aides_instruction:demande", pk)
