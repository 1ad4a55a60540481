"""Request and response guards that apply to every page (see README « Modèle de sécurité »)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

FORMULAIRES = ("application/x-www-form-urlencoded", "multipart/form-data")
CLE_DEBUT_SESSION = "portail_debut_session"


def _contient_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("PATH_INFO", ""):
        return True
    chaine = request.META.get("QUERY_STRING", "")
    if "\x00" in chaine or "%00" in chaine.lower():
        return True
    if request.method == "POST" and request.content_type in FORMULAIRES:
        for cle, valeurs in request.POST.lists():
            if "\x00" in cle or any("\x00" in v for v in valeurs):
                return True
    return False


class RefusOctetNul:
    """A NUL byte (\\x00, %00) in the path, the query string or a form field is a 400, never a 500.

    PostgreSQL refuses NUL in text; without this guard a NUL in a URL parameter or a search filter
    reached the database and failed there. Nothing legitimate carries one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _contient_nul(request):
            return render(request, "400.html", {"motif": "Elle contient un caractère interdit."}, status=400)
        return self.get_response(request)


CLE_SAISIE = "portail_saisie_a_reprendre"
CHAMPS_JAMAIS_GARDES = ("csrfmiddlewaretoken", "password", "mot_de_passe", "site_internet", "jeton")
TAILLE_MAX_SAISIE = 200_000


class ConservationSaisie:
    """A form sent after the session ended is not lost.

    The login-required view answers with a redirect to the login page; this middleware then keeps
    the form's values (never passwords, tokens nor files) in the new anonymous session, which login
    keeps (Django cycles the session key, not its content). Back on the same page after login, the
    base template puts them in a JSON block and static/js/session.js fills the form again, saying
    so. One form, one page, one use; stored server-side, nothing in the URL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reponse = self.get_response(request)
        if (
            request.method == "POST"
            and reponse.status_code == 302
            and reponse.get("Location", "").startswith(settings.LOGIN_URL_CHEMIN)
            and not request.user.is_authenticated
            and request.content_type in FORMULAIRES
        ):
            donnees = {
                cle: valeurs
                for cle, valeurs in request.POST.lists()
                if not any(mot in cle.lower() for mot in CHAMPS_JAMAIS_GARDES)
            }
            if donnees and len(repr(donnees)) <= TAILLE_MAX_SAISIE:
                request.session[CLE_SAISIE] = {
                    "chemin": request.path,
                    "donnees": donnees,
                    "fichiers": bool(request.FILES),
                    "le": timezone.now().timestamp(),
                }
        return reponse


def saisie_a_reprendre(request) -> dict | None:
    """The values kept for this page (once; an hour at most), for the base template."""
    session = getattr(request, "session", None)
    if session is None or CLE_SAISIE not in session or not request.user.is_authenticated:
        return None
    saisie = session[CLE_SAISIE]
    if saisie.get("chemin") != request.path or request.method != "GET":
        return None
    del session[CLE_SAISIE]
    if timezone.now().timestamp() - saisie.get("le", 0) > 3600:
        return None
    return saisie


class EnTetesSecurite:
    """Permissions-Policy on every response; `Cache-Control: no-store` on every response to a
    logged-in user (pages and downloads: nothing of an account stays in a shared cache or in the
    browser's history cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reponse = self.get_response(request)
        reponse.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(reponse)
            reponse["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return reponse


class DureeAbsolueSession:
    """A session ends SESSION_ABSOLUE_HEURES after login, whatever the activity (the idle limit is
    SESSION_COOKIE_AGE): a stolen session cookie is not usable forever."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            maintenant = timezone.now().timestamp()
            debut = request.session.get(CLE_DEBUT_SESSION)
            if debut is None:
                request.session[CLE_DEBUT_SESSION] = maintenant
            elif maintenant - debut > timedelta(hours=settings.SESSION_ABSOLUE_HEURES).total_seconds():
                logout(request)
                messages.info(request, "Votre session a expiré : reconnectez-vous pour continuer.")
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="portail_debut_session")
def _noter_debut_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[CLE_DEBUT_SESSION] = timezone.now().timestamp()
