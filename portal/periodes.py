"""Periodic sends claim their period in the database: two schedulers, a redelivered task or a manual
command send once.

    if periode_reclamer("digest-conventions", periode_jour()):
        ...send...

The claim is committed with the caller's transaction: a send that fails (rolls back) frees its period.
"""

import functools
import logging
from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import Battement, EnvoiPeriodique

logger = logging.getLogger(__name__)


def periode_reclamer(cle: str, periode: str) -> bool:
    """True for the first caller claiming (cle, periode), False for every other one. Called inside the
    transaction that sends: claimed outside it, a send that fails would lose its period."""
    if not connection.in_atomic_block:
        raise RuntimeError("periode_reclamer doit être appelée dans la transaction qui envoie.")
    try:
        with transaction.atomic():
            EnvoiPeriodique.objects.create(cle=cle, periode=periode)
    except IntegrityError:
        return False
    return True


def _jour(le: date | datetime | None) -> date:
    if isinstance(le, datetime):
        return timezone.localdate(le)
    return le or timezone.localdate()


def periode_jour(le: date | datetime | None = None) -> str:
    return _jour(le).isoformat()


def periode_semaine(le: date | datetime | None = None) -> str:
    annee, semaine, _ = _jour(le).isocalendar()
    return f"{annee}-S{semaine:02d}"


def periode_heure(le: datetime | None = None) -> str:
    return f"{timezone.localtime(le or timezone.now()):%Y-%m-%dT%H}"


def battement_noter(nom: str) -> None:
    """Record that the periodic job `nom` ran now (read by /sante/pret/)."""
    Battement.objects.update_or_create(nom=nom, defaults={"le": timezone.now()})


def une_fois_par_periode(cle: str, *, periode=periode_jour, argument: str = "aujourd_hui", rien=None):
    """Decorate a periodic send: it runs in one transaction with the claim of its period (the period
    of the keyword argument `argument`, today by default); a second call in the same period does
    nothing and returns `rien()` (or None)."""

    def decorer(fonction):
        @functools.wraps(fonction)
        def enveloppe(*args, **kwargs):
            with transaction.atomic():
                if not periode_reclamer(cle, periode(kwargs.get(argument))):
                    logger.info("%s : déjà fait pour la période %s.", cle, periode(kwargs.get(argument)))
                    return rien() if rien else None
                return fonction(*args, **kwargs)

        return enveloppe

    return decorer


def jour_iso(jour: date) -> str:
    """The period of a daily job: « 2026-12-06 »."""
    return periode_jour(jour)


def semaine_iso(jour: date) -> str:
    """The period of a weekly job: « 2026-S49 » (ISO week)."""
    return periode_semaine(jour)
