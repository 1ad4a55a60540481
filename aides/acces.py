"""Who may open an application or a document: one access-checked getter per object type.

A company user sees its company's files only (another company's id is a 404); staff read every
deposited file; writing in the instruction needs the instructeur (or administrateur) role.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from portal.permissions import peut
from portal.roles import Role

from .models import Demande, PieceJointe, Representant

ROLES_INSTRUCTION = (Role.INSTRUCTEUR, Role.ADMINISTRATEUR)


def representant_de(user) -> Representant | None:
    if not user.is_authenticated or user.is_staff:
        return None
    try:
        return user.representant
    except Representant.DoesNotExist:
        return None


def entreprise_requise(verifiee: bool = True) -> Callable:
    """View decorator for the company space: anonymous → login; staff or a user without company →
    French 403; an email not yet confirmed → the page asking to confirm it."""

    def decorateur(vue: Callable) -> Callable:
        @wraps(vue)
        def enveloppe(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.is_staff:
                raise PermissionDenied(
                    "L'espace entreprise est réservé aux comptes d'entreprise. Les agents instruisent les "
                    "demandes dans l'espace agents."
                )
            representant = representant_de(request.user)
            if representant is None:
                raise PermissionDenied("Ce compte n'est rattaché à aucune entreprise.")
            if verifiee and not representant.email_verifie:
                return redirect("espace:verification-attente")
            request.representant = representant
            return vue(request, *args, **kwargs)

        return enveloppe

    return decorateur


def demande_de_l_entreprise(request, pk: int) -> Demande:
    """The application if it belongs to the user's company, else 404."""
    return get_object_or_404(
        Demande.objects.select_related("dispositif", "etablissement"),
        pk=pk,
        etablissement__entreprise_id=request.representant.entreprise_id,
    )


def piece_visible(request, pk: int) -> PieceJointe:
    """A document its requester may download: its company's, or any deposited one for staff."""
    piece = get_object_or_404(
        PieceJointe.objects.select_related("demande__etablissement__entreprise", "demande__dispositif"), pk=pk
    )
    user = request.user
    if user.is_staff:
        # Staff never see drafts, and only the roles that instruct, pay or co-finance read documents.
        if piece.demande.statut == Demande.Statut.BROUILLON or not peut(user, "demande", "lire", cible=piece.demande):
            raise Http404
        return piece
    representant = representant_de(user)
    if representant is None or piece.demande.etablissement.entreprise_id != representant.entreprise_id:
        raise Http404
    return piece
