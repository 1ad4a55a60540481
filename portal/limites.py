"""Limits against abuse: per client address and for the whole site, counted in Redis (the cache
shared by every web node), so ten web processes do not grant ten times the limit.

Each limit is named and set from the environment (`LIMITE_<NOM>` = "par_adresse,global,fenêtre en
secondes"; 0 = no limit of that kind), see README « Limites ». Counters are fixed windows (a key per
window, expiring with it). Redis down: the request goes through (logged): the portal stays usable,
the abuse limit is lost for the outage.

- `limite_requise(nom)`: the one view decorator, for public forms that create records, send emails
  or render PDFs (every POST counts) and for the open API (`methodes=None`: every request counts);
  past the limit the answer is a French 429 (JSON under /api/); a filled honeypot field
  (`CHAMP_PIEGE`, the one honeypot, hidden from people: templates/portal/_piege.html) is refused
  with 400.
- `echecs_connexion_limites`: the login page refuses an address that failed too often, across every
  account it tried (password spraying); failures are counted from Django's `user_login_failed`.
- `limite_atteinte()` / `limite_compter()`: for a check done by a view itself (the convention
  signature's password).
"""

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import caches
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render

from .reseau import adresse_client

logger = logging.getLogger(__name__)

CHAMP_PIEGE = "site_internet"


@dataclass(frozen=True)
class Limite:
    par_adresse: int
    globale: int
    fenetre: int  # seconds

    @classmethod
    def lire(cls, texte: str) -> "Limite":
        par_adresse, globale, fenetre = (int(x) for x in texte.split(","))
        return cls(par_adresse, globale, fenetre)


def limite(nom: str) -> Limite:
    return Limite.lire(settings.LIMITES[nom])


def _cles(nom: str, cles: dict[str, str], regle: Limite) -> list[tuple[str, int]]:
    fenetre = int(time.time() // regle.fenetre)
    prefixe = f"limite:{settings.LIMITES_PREFIXE}:{nom}:{fenetre}"
    resultat = []
    for genre, valeur in cles.items():
        maximum = regle.globale if genre == "global" else regle.par_adresse
        if maximum > 0:
            resultat.append((f"{prefixe}:{genre}:{valeur}", maximum))
    return resultat


def _cles_requete(request, **autres: str) -> dict[str, str]:
    return {"adresse": adresse_client(request) or "inconnue", "global": "tout", **autres}


def limite_compter(nom: str, *, cles: dict[str, str]) -> bool:
    """Count one more; True if that one is beyond a limit."""
    regle = limite(nom)
    cache = caches[settings.LIMITES_CACHE]
    depasse = False
    try:
        for cle, maximum in _cles(nom, cles, regle):
            cache.add(cle, 0, timeout=regle.fenetre + 5)
            if cache.incr(cle) > maximum:
                depasse = True
    except Exception:  # noqa: BLE001 (Redis down: let the request through, say so in the logs)
        logger.warning("Limite « %s » non comptée : cache indisponible.", nom, exc_info=True)
        return False
    return depasse


def limite_atteinte(nom: str, *, cles: dict[str, str]) -> bool:
    """Whether a limit is already reached, without counting."""
    regle = limite(nom)
    cache = caches[settings.LIMITES_CACHE]
    try:
        return any((cache.get(cle) or 0) >= maximum for cle, maximum in _cles(nom, cles, regle))
    except Exception:  # noqa: BLE001
        logger.warning("Limite « %s » non lue : cache indisponible.", nom, exc_info=True)
        return False


def reponse_trop_de_demandes(request, nom: str):
    """429 in French: JSON under /api/, else the 429 page; Retry-After says when the window ends."""
    regle = limite(nom)
    reste = regle.fenetre - int(time.time()) % regle.fenetre
    if request.path.startswith("/api/"):
        message = f"Trop de requêtes depuis votre adresse : réessayez dans {reste} secondes."
        reponse = JsonResponse({"erreur": message}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        reponse = render(request, "429.html", {"minutes": max(1, math.ceil(reste / 60))}, status=429)
    reponse["Retry-After"] = str(reste)
    return reponse


def reponse_piege(request):
    return render(
        request,
        "400.html",
        {"motif": "Un champ réservé à la détection des robots a été rempli. Laissez-le vide et envoyez de nouveau."},
        status=400,
    )


def limite_requise(nom: str, *, methodes: tuple[str, ...] | None = ("POST",)) -> Callable:
    """Decorator of a public view: each request of `methodes` (None: every request) counts against
    the limit `nom` of settings.LIMITES; a POST with the honeypot filled is refused."""

    def decorateur(vue: Callable) -> Callable:
        @wraps(vue)
        def enveloppe(request, *args, **kwargs):
            if request.method == "POST" and request.POST.get(CHAMP_PIEGE):
                return reponse_piege(request)
            if methodes is None or request.method in methodes:
                if limite_compter(nom, cles=_cles_requete(request)):
                    logger.warning("Limite « %s » atteinte pour %s.", nom, adresse_client(request))
                    return reponse_trop_de_demandes(request, nom)
            return vue(request, *args, **kwargs)

        return enveloppe

    return decorateur


def echecs_connexion_limites(vue: Callable) -> Callable:
    """The login view refuses (429) an address past LIMITE_CONNEXION failures, whatever the account."""

    @wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if request.method == "POST" and limite_atteinte("connexion", cles=_cles_requete(request)):
            return reponse_trop_de_demandes(request, "connexion")
        return vue(request, *args, **kwargs)

    return enveloppe


@receiver(user_login_failed, dispatch_uid="portail_limites_echec_connexion")
def _compter_echec_connexion(sender, credentials=None, request=None, **kwargs) -> None:
    if request is not None:
        limite_compter("connexion", cles=_cles_requete(request))
