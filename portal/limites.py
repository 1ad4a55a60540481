"""A per-address request limit, counted in Django's cache (one fixed window per period).

Usage: `@limiter("api", nombre=120, periode=60)` on a view. With the default local-memory cache the
count is per process: point CACHES at a shared cache to count across web processes. Past the limit
the view is not called: 429 with `Retry-After` and a French message (JSON under /api/).
"""

import time
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse


def adresse_client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "inconnue"


def reponse_trop_de_requetes(request: HttpRequest, attente: int) -> HttpResponse:
    message = f"Trop de requêtes depuis votre adresse : réessayez dans {attente} secondes."
    if request.path.startswith("/api/"):
        reponse = JsonResponse({"erreur": message}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        reponse = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    reponse["Retry-After"] = str(attente)
    return reponse


def limite_depassee(cle: str, adresse: str, *, nombre: int, periode: int) -> int:
    """Count one request; return 0 when allowed, else the seconds to wait until the window ends."""
    maintenant = int(time.time())
    fenetre = maintenant // periode
    compteur = f"limite:{cle}:{adresse}:{fenetre}"
    try:
        cache.add(compteur, 0, timeout=periode + 1)
        try:
            total = cache.incr(compteur)
        except ValueError:  # expired between add and incr
            cache.set(compteur, 1, timeout=periode + 1)
            total = 1
    except Exception:  # a cache that does not answer must never fail the request: let it through
        return 0
    if total <= nombre:
        return 0
    return max(1, (fenetre + 1) * periode - maintenant)


def limiter(
    cle: str, *, nombre: int | Callable[[], int], periode: int, methodes: tuple[str, ...] | None = None
) -> Callable:
    """At most `nombre` requests per `periode` seconds per client address (only `methodes` counted).
    `nombre` may be a function, read at each request (a setting)."""

    def decorateur(vue):
        @wraps(vue)
        def enveloppe(request: HttpRequest, *args, **kwargs):
            if methodes is None or request.method in methodes:
                plafond = nombre() if callable(nombre) else nombre
                attente = limite_depassee(cle, adresse_client(request), nombre=plafond, periode=periode)
                if attente:
                    return reponse_trop_de_requetes(request, attente)
            return vue(request, *args, **kwargs)

        return enveloppe

    return decorateur
