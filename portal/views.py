from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from . import sante
from .acces import agent_requis


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
    if request.user.is_authenticated and hasattr(request.user, "representant"):
        return redirect("espace:accueil")
    return redirect("accueil")


@agent_requis()
def agents_tableau(request):
    return render(request, "agents/tableau.html")


class Connexion(auth_views.LoginView):
    template_name = "registration/connexion.html"
    redirect_authenticated_user = True
