"""« Sent once per period »: a periodic job claims (key, period) with a unique row before it sends."""

from django.db import IntegrityError, transaction

from .models import EnvoiPeriodique


def periode_reclamer(cle: str, periode: str) -> bool:
    """True when this call claimed the period for this key (the caller sends); False when it was
    already claimed. Call it in the transaction that writes the send: a rollback frees the claim.
    Two concurrent claims: the second insert waits for the first to commit, then fails."""
    try:
        with transaction.atomic():
            EnvoiPeriodique.objects.create(cle=cle, periode=periode)
    except IntegrityError:
        return False
    return True
