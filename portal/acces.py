"""Who may open what. Staff pages live under /agents/ and answer staff only."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .permissions import a_un_role
from .roles import Role


def verifier_agent(request, roles: tuple[Role, ...] = ()) -> None:
    """Raise PermissionDenied unless the logged-in user is an agent holding one of `roles`."""
    user = request.user
    if not user.est_agent:
        raise PermissionDenied("Cet espace est réservé aux agents de la Région.")
    if roles and not user.a_role(*roles):
        raise PermissionDenied("Votre rôle ne permet pas cette action.")


def reponse_sans_role(request):
    """A staff account nobody gave a role to reaches nothing but this page (who to ask)."""

    administrateurs = (
        get_user_model()
        .objects.agents()
        .filter(groups__name=Role.ADMINISTRATEUR.value)
        .order_by("last_name", "first_name")[:5]
    )
    return render(request, "portal/sans_role.html", {"administrateurs": administrateurs}, status=403)


def agent_avec_role(request, document=None) -> bool:
    """What `agent_requis()` lets through, as a yes/no (the access rule of staff documents)."""
    return request.user.is_authenticated and request.user.est_agent and a_un_role(request.user)


def sans_role(request) -> bool:
    return request.user.est_agent and not a_un_role(request.user)


def agent_requis(*roles: Role) -> Callable:
    """View decorator: anonymous → login page; logged-in non-agent or missing role → 403; an agent
    with no role at all → the page saying whom to ask."""

    def decorateur(vue: Callable) -> Callable:
        @wraps(vue)
        def enveloppe(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if sans_role(request):
                return reponse_sans_role(request)
            verifier_agent(request, roles)
            return vue(request, *args, **kwargs)

        return enveloppe

    return decorateur


class AgentRequisMixin(AccessMixin):
    """Class-based counterpart of `agent_requis`; set `roles_requis` to restrict further."""

    roles_requis: tuple[Role, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if sans_role(request):
            return reponse_sans_role(request)
        verifier_agent(request, self.roles_requis)
        return super().dispatch(request, *args, **kwargs)


def identifiant_connexion(request, credentials: dict | None = None) -> str | None:
    """The login that django-axes counts failures against: the email typed, whatever its case."""
    valeur = (credentials or {}).get("username") or getattr(request, "POST", {}).get("username")
    return valeur.strip().lower() if valeur else None
