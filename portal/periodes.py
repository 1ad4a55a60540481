"""Periodic digests and lists are sent once per period, whatever runs them.

A job claims its period inside the transaction that writes its emails:

    with transaction.atomic():
        if not periode_reclamer("saf_digest_bloquees", jour_iso(aujourd_hui)):
            return 0  # already sent for that period (or being sent by a concurrent run)
        ... notification_creer(...) ...

If the transaction rolls back, the claim goes with it and the next run sends. A concurrent run's
INSERT waits for the first transaction to end, then finds the row and gets False.
"""

from datetime import date

from django.db import connection
from django.utils import timezone

from .models import EnvoiPeriodique


def periode_reclamer(cle: str, periode: str) -> bool:
    """Claim (`cle`, `periode`); True for the first claimer only. Call it inside the sending transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("periode_reclamer doit être appelée dans la transaction qui envoie.")
    table = EnvoiPeriodique._meta.db_table
    with connection.cursor() as curseur:
        curseur.execute(
            f"INSERT INTO {table} (cle, periode, reclame_le) VALUES (%s, %s, %s) "
            "ON CONFLICT (cle, periode) DO NOTHING RETURNING id",
            [cle, periode, timezone.now()],
        )
        return curseur.fetchone() is not None


def jour_iso(jour: date) -> str:
    """The period of a daily job: « 2026-12-06 »."""
    return jour.isoformat()


def semaine_iso(jour: date) -> str:
    """The period of a weekly job: « 2026-W49 » (ISO week)."""
    annee, semaine, _ = jour.isocalendar()
    return f"{annee}-W{semaine:02d}"
