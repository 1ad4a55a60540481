from django.conf import settings

from .middleware import CLE_DEBUT_SESSION, saisie_a_reprendre


def portail(request) -> dict:
    contexte = {"NOM_PORTAIL": "Portail Entreprises Hauts-de-France"}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(request, "session"):
        # For static/js/session.js: warn before the idle or the absolute limit ends the session.
        debut = request.session.get(CLE_DEBUT_SESSION)
        # As strings: the templates localise numbers (3 600).
        contexte["SESSION_INACTIVITE"] = str(settings.SESSION_COOKIE_AGE)
        contexte["SESSION_FIN"] = str(int(debut + settings.SESSION_ABSOLUE_HEURES * 3600)) if debut else ""
        contexte["SAISIE_A_REPRENDRE"] = saisie_a_reprendre(request)
    return contexte
