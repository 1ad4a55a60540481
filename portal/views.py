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
    etats = {"base_de_donnees": sante.etat_base(), "courtier": sante.etat_courtier()}
    ok = all(etats.values())
    return JsonResponse(
        {"statut": "ok" if ok else "degrade", **{nom: "ok" if bon else "injoignable" for nom, bon in etats.items()}},
        status=200 if ok else 503,
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
    from aides.services_comptes import peut_verifier_rattachements

    return render(
        request, "agents/tableau.html", {"peut_verifier_rattachements": peut_verifier_rattachements(request.user)}
    )


class Connexion(auth_views.LoginView):
    template_name = "registration/connexion.html"
    redirect_authenticated_user = True
