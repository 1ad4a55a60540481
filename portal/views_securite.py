"""The second factor's pages: the code step of the login, enrolment, a company's opt-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from . import double_facteur as df
from .forms import CodeTotpForm, DesactivationSecondFacteurForm
from .formulaires import erreurs_vers_formulaire
from .roles import ROLES_EXTERNES


def _suite(request) -> str:
    suite = request.POST.get("next") or request.GET.get("next") or ""
    if suite and url_has_allowed_host_and_scheme(suite, {request.get_host()}, require_https=request.is_secure()):
        return suite
    return "accueil-apres-connexion"


@never_cache
@login_required
def verifier(request):
    """Second step of the login: the code of the enrolled device."""
    if request.user.is_verified():
        return redirect(_suite(request))
    appareil = df.appareil_confirme(request.user)
    if appareil is None:
        requete = request.META.get("QUERY_STRING", "")
        return redirect(reverse("second-facteur-activer") + (f"?{requete}" if requete else ""))
    form = CodeTotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            df.code_verifier(request.user, form.cleaned_data["code"], appareil=appareil)
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur, champ="code")
        else:
            df.session_verifier(request, appareil)
            return redirect(_suite(request))
    return render(
        request,
        "registration/second_facteur.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def activer(request):
    """Enrolment: a QR code and the same secret in text, then a first code confirms the device."""
    if df.appareil_confirme(request.user) is not None:
        return redirect(_suite(request) if request.user.is_verified() else "second-facteur")
    appareil = df.appareil_preparer(user=request.user)
    form = CodeTotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            df.appareil_confirmer(request=request, code=form.cleaned_data["code"])
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur, champ="code")
        else:
            messages.success(
                request,
                "Votre application d'authentification est associée : elle vous sera demandée à chaque connexion.",
            )
            return redirect(_suite(request))
    return render(
        request,
        "registration/second_facteur_activer.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "qr_code": df.qr_code_svg(appareil),
            "secret": df.secret_base32(appareil),
            "obligatoire": request.user.is_staff or request.user.a_role(*ROLES_EXTERNES),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def securite(request):
    """A user's account security: whether the second factor is on; companies may turn it on or off."""
    appareil = df.appareil_confirme(request.user)
    form = DesactivationSecondFacteurForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            df.second_facteur_desactiver(
                request=request, mot_de_passe=form.cleaned_data["mot_de_passe"], code=form.cleaned_data["code"]
            )
        except ValidationError as erreur:
            erreurs_vers_formulaire(form, erreur, champ="code")
        else:
            messages.success(request, "Le second facteur est désactivé : seul votre mot de passe vous sera demandé.")
            return redirect("compte-securite")
    return render(
        request,
        "registration/securite.html",
        {"appareil": appareil, "form": form},
        status=400 if form.errors else 200,
    )
