"""Who may open what in the company space: one access-checked getter per object type.

A person acts for the « current » company of the space (kept in the session, checked on every
request against their attachments). Through a verified attachment they see the company's files,
conventions and members; through an attachment still to verify, only what they created
themselves (their own drafts and deposits). Another company's id, or an object they may not see,
is a 404. Staff read every deposited file; writing in the instruction needs the instructeur (or
administrateur) role.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from aides.demandes.models.avis import AvisExpert
from aides.demandes.models.coffre import DocumentEntreprise
from aides.demandes.models.demande import Demande, PieceJointe
from aides.demandes.models.espace import Invitation, Membre
from portal.permissions import feder_seulement, peut
from portal.roles import Role

ROLES_INSTRUCTION = (Role.INSTRUCTEUR, Role.ADMINISTRATEUR)
SESSION_ENTREPRISE = "espace_entreprise_courante"


# --- The current company ------------------------------------------------------------------------


def adhesions_de(user) -> list[Membre]:
    """The attachments that open the space (verified first, then the oldest)."""
    if not user.is_authenticated or user.is_staff:
        return []
    return list(
        Membre.objects.actifs()
        .filter(utilisateur=user)
        .select_related("entreprise__referent", "etablissement__commune__epci")
        .annotate(
            ordre=Case(When(statut=Membre.Statut.VERIFIE, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("ordre", "cree_le", "pk")
    )


def membre_courant(request) -> Membre | None:
    """The attachment to the current company: the one chosen in the session if it is still an
    active attachment of this user, else their first one. Sets `request.membres` too."""
    membres = adhesions_de(request.user)
    request.membres = membres
    if not membres:
        return None
    voulue = request.session.get(SESSION_ENTREPRISE)
    for membre in membres:
        if membre.entreprise_id == voulue:
            return membre
    request.session[SESSION_ENTREPRISE] = membres[0].entreprise_id
    return membres[0]


def a_un_compte_entreprise(user) -> bool:
    return bool(adhesions_de(user))


def entreprise_requise(verifiee: bool = True, *, administrateur: bool = False) -> Callable:
    """View decorator for the company space: anonymous → login; staff or a user without company →
    French 403; an email not yet confirmed → the page asking to confirm it. `administrateur`:
    the view manages the account (a verified administrator of the current company only)."""

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
            membre = membre_courant(request)
            if membre is None:
                if kwargs:  # an object's URL: never confirm that it exists
                    raise Http404
                raise PermissionDenied(
                    "Ce compte n'est rattaché à aucune entreprise (ou sa demande de rattachement a été refusée)."
                )
            if verifiee and not any(m.email_verifie for m in request.membres):
                return redirect("espace:verification-attente")
            if administrateur and not membre.est_administrateur:
                if kwargs:
                    raise Http404
                raise PermissionDenied("Seul un administrateur vérifié du compte de l'entreprise gère ses membres.")
            request.membre = membre
            return vue(request, *args, **kwargs)

        return enveloppe

    return decorateur


# --- What a member sees ---------------------------------------------------------------------------


def demandes_visibles(membre: Membre) -> QuerySet[Demande]:
    """Verified: the company's applications. To verify: only those they created themselves."""
    qs = Demande.objects.de_l_entreprise(membre.entreprise_id)
    if not membre.est_verifie:
        qs = qs.filter(demandeur_id=membre.utilisateur_id)
    return qs


def membres_visibles(membre: Membre) -> QuerySet[Membre]:
    if not membre.est_verifie:
        return Membre.objects.none()
    return Membre.objects.filter(entreprise_id=membre.entreprise_id)


# --- Getters: one per object type ------------------------------------------------------------------


def demande_de_l_entreprise(request, pk: int) -> Demande:
    """The application if the current member may see it, else 404."""
    return get_object_or_404(demandes_visibles(request.membre).select_related("dispositif", "etablissement"), pk=pk)


def demande_modifiable(request, pk: int) -> Demande:
    """An application the current member may prepare: visible, and not as a lecteur (403)."""
    demande = demande_de_l_entreprise(request, pk)
    if not request.membre.peut_deposer:
        raise PermissionDenied("Votre rôle de lecteur permet de consulter les demandes, pas de les modifier.")
    return demande


def membre_de_l_entreprise(request, pk: int) -> Membre:
    """A member of the current company, for its administrator (anybody else: 404)."""
    if not request.membre.est_administrateur:
        raise Http404
    return get_object_or_404(
        Membre.objects.select_related("utilisateur", "etablissement"), pk=pk, entreprise_id=request.membre.entreprise_id
    )


def invitation_de_l_entreprise(request, pk: int) -> Invitation:
    """An invitation of the current company, for its administrator (anybody else: 404)."""
    if not request.membre.est_administrateur:
        raise Http404
    return get_object_or_404(Invitation, pk=pk, entreprise_id=request.membre.entreprise_id)


def piece_visible(request, pk: int) -> PieceJointe:
    """A document its requester may download: its company's, or any deposited one for staff."""
    piece = get_object_or_404(
        PieceJointe.objects.select_related("demande__etablissement__entreprise", "demande__dispositif", "document"),
        pk=pk,
    )
    user = request.user
    if user.is_staff:
        # Staff never see drafts, and only the roles that instruct, pay or co-finance read documents.
        if piece.demande.statut == Demande.Statut.BROUILLON or not peut(user, "demande", "lire", cible=piece.demande):
            raise Http404
        return piece
    for membre in adhesions_de(user):
        if demandes_visibles(membre).filter(pk=piece.demande_id).exists():
            return piece
    raise Http404


def avis_de_l_expert(user, pk: int) -> AvisExpert:
    """An expert opinion, for the expert asked only (anybody else: 404; staff who read the file see
    the opinions on its instruction page)."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        AvisExpert.objects.select_related(
            "demande__dispositif",
            "demande__etablissement__entreprise",
            "demande__etablissement__commune",
            "demande_par",
        ),
        pk=pk,
        expert=user,
    )


def coffre_visible(membre: Membre) -> QuerySet[DocumentEntreprise]:
    """The company's safe: for its verified members only."""
    if not membre.est_verifie:
        return DocumentEntreprise.objects.none()
    return DocumentEntreprise.objects.filter(entreprise_id=membre.entreprise_id)


def document_coffre_visible(request, pk: int) -> DocumentEntreprise:
    """A document of a company's safe: its verified members, or staff who read applications (their
    documents come from the safe). Anybody else: 404."""
    document = get_object_or_404(DocumentEntreprise.objects.select_related("entreprise", "document"), pk=pk)
    user = request.user
    if user.is_staff:
        # The FEDER service reads FEDER-eligible files only; the safe belongs to no one file.
        if not peut(user, "demande", "lire") or feder_seulement(user, "demande", "lire"):
            raise Http404
        return document
    if any(m.est_verifie and m.entreprise_id == document.entreprise_id for m in adhesions_de(user)):
        return document
    raise Http404
