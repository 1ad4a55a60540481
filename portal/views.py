from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import documents, sante
from .acces import agent_requis
from .middleware import CLE_DEBUT_SESSION
from .permissions import peut
from .tableau import a_faire, chiffres


def accueil(request):
    return render(request, "portal/accueil.html")


def accessibilite(request):
    return render(request, "portal/accessibilite.html")


def mentions_legales(request):
    return render(request, "portal/mentions_legales.html")


def donnees_personnelles(request):
    return render(request, "portal/donnees_personnelles.html")


@never_cache
def etat_sante(request):
    """Liveness, for the load balancer: this process answers and reaches its database. Redis, the
    object storage or the scheduler being down does not take the node out (see /sante/pret/)."""
    ok = sante.etat_base()
    return JsonResponse(
        {"statut": "ok" if ok else "degrade", "base_de_donnees": "ok" if ok else "injoignable"},
        status=200 if ok else 503,
    )


@never_cache
def etat_pret(request):
    """Readiness and monitoring: broker, storage, scheduler, outbox and jobs; 503 with the reasons."""
    pret = sante.etat_pret()
    return JsonResponse(
        {"statut": "ok" if pret.ok else "degrade", "raisons": pret.raisons, **pret.details},
        status=200 if pret.ok else 503,
        json_dumps_params={"ensure_ascii": False},
    )


def accueil_apres_connexion(request):
    """After login, agents land in the back office and companies in their space."""
    if request.user.is_authenticated and request.user.est_agent:
        return redirect("agents:tableau")
    if request.user.is_authenticated and hasattr(request.user, "partenariat"):
        return redirect("partenaires:tableau")
    if request.user.is_authenticated and request.user.adhesions.exists():
        return redirect("espace:accueil")
    return redirect("accueil")


@agent_requis()
def agents_tableau(request):

    contexte = {
        "a_faire": a_faire(request.user),
        "chiffres": chiffres(request.user),
        "peut_verifier_rattachements": peut(request.user, "rattachement", "verifier"),
    }
    return render(request, "agents/tableau.html", contexte)


class Connexion(auth_views.LoginView):
    template_name = "registration/connexion.html"
    redirect_authenticated_user = True


def session_etat(request):
    """Polled by static/js/session.js: « Rester connecté » (the request itself renews the idle
    limit, sessions being saved on every request); says how long the session still has."""

    if not request.user.is_authenticated:
        return JsonResponse({"connecte": False}, status=401)
    debut = request.session.get(CLE_DEBUT_SESSION) or timezone.now().timestamp()
    reste_absolu = int(debut + settings.SESSION_ABSOLUE_HEURES * 3600 - timezone.now().timestamp())
    return JsonResponse(
        {"connecte": True, "inactivite": settings.SESSION_COOKIE_AGE, "reste_absolu": max(0, reste_absolu)}
    )


def favicon(request):
    """Browsers and tools that ask /favicon.ico get the SVG every page links (resolved per request:
    the static manifest exists only after collectstatic)."""
    return HttpResponsePermanentRedirect(static("images/favicon.svg"))


@never_cache
@require_GET
def document_etat(request, pk):
    """The one status endpoint polled by static/js/document-en-preparation.js, for every kind of
    document rendered in the background; the kind's access rule decides (outsiders get 404)."""
    return JsonResponse(documents.document_etat(documents.document_lisible(request, pk)))
