"""Periodic sends claim their period in the database: two schedulers, a redelivered task or a manual
command send once.

    if periode_reclamer("digest-conventions", periode_jour()):
        ...send...

The claim is committed with the caller's transaction: a send that fails (rolls back) frees its period.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Battement, EnvoiPeriodique


def periode_reclamer(cle: str, periode: str) -> bool:
    """True for the first caller claiming (cle, periode), False for every other one."""
    try:
        with transaction.atomic():
            EnvoiPeriodique.objects.create(cle=cle, periode=periode)
    except IntegrityError:
        return False
    return True


def periode_jour(le: datetime | None = None) -> str:
    return timezone.localdate(le or timezone.now()).isoformat()


def periode_semaine(le: datetime | None = None) -> str:
    annee, semaine, _ = timezone.localdate(le or timezone.now()).isocalendar()
    return f"{annee}-S{semaine:02d}"


def periode_heure(le: datetime | None = None) -> str:
    return f"{timezone.localtime(le or timezone.now()):%Y-%m-%dT%H}"


def battement_noter(nom: str) -> None:
    """Record that the periodic job `nom` ran now (read by /sante/pret/)."""
    Battement.objects.update_or_create(nom=nom, defaults={"le": timezone.now()})
