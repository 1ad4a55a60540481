"""The shared cache on Redis, tolerant: Redis down or hung reads as a cache miss, never as an error.

After a failure the cache is skipped for a few seconds (no 0.5 s timeout on every call of a page).
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

PAUSE_APRES_PANNE = 5.0


class CacheRedisTolerant(RedisCache):
    _panne_jusqua = 0.0

    def _disponible(self) -> bool:
        return self._panne_jusqua <= time.monotonic()

    def _panne(self, erreur: Exception) -> None:
        self._panne_jusqua = time.monotonic() + PAUSE_APRES_PANNE
        logger.warning("Cache Redis injoignable : %s", erreur)

    def get(self, key, default=None, version=None):
        if not self._disponible():
            return default
        try:
            return super().get(key, default, version)
        except Exception as erreur:  # redis-py errors: connection, timeout, protocol
            self._panne(erreur)
            return default

    def get_many(self, keys, version=None):
        if not self._disponible():
            return {}
        try:
            return super().get_many(keys, version)
        except Exception as erreur:
            self._panne(erreur)
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not self._disponible():
            return
        try:
            super().set(key, value, timeout, version)
        except Exception as erreur:
            self._panne(erreur)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not self._disponible():
            return list(data)
        try:
            return super().set_many(data, timeout, version)
        except Exception as erreur:
            self._panne(erreur)
            return list(data)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not self._disponible():
            return False
        try:
            return super().add(key, value, timeout, version)
        except Exception as erreur:
            self._panne(erreur)
            return False

    def delete(self, key, version=None):
        if not self._disponible():
            return False
        try:
            return super().delete(key, version)
        except Exception as erreur:
            self._panne(erreur)
            return False

    def incr(self, key, delta=1, version=None):
        if not self._disponible():
            raise ValueError("cache indisponible")
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise
        except Exception as erreur:
            self._panne(erreur)
            raise ValueError("cache indisponible") from erreur


def generation(nom: str) -> str | None:
    """The current generation of a cached family (changed by `generation_suivante` to invalidate it
    all at once, on every node); None when the cache cannot be reached (then do not cache)."""

    valeur = cache.get(f"generation:{nom}")
    if valeur is None:
        cache.add(f"generation:{nom}", uuid.uuid4().hex[:12], None)
        valeur = cache.get(f"generation:{nom}")
    return valeur


def generation_suivante(nom: str) -> None:

    cache.set(f"generation:{nom}", uuid.uuid4().hex[:12], None)


def catalogue_modifie(**kwargs) -> None:
    """Signal receiver: a dispositif (or its coverage) changed, every cached view of the catalogue
    (facet counts, result pages, the parcours catalogue) is stale on every node."""
    generation_suivante("catalogue")


def saf_modifie(**kwargs) -> None:
    """Signal receiver: a convention, a step of its circuit or an application changed; the SAF
    dashboard's cached figures (per-step counts, delays, applications to convert) are stale."""
    generation_suivante("saf")
