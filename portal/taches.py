"""Publish Celery tasks without ever making a web request wait on the broker.

Every piece of background work is first recorded in the database (the email outbox, `Travail`
rows, missing receipts), so a publish that fails here only delays it until the sweep. Publishing
uses short socket timeouts (`CELERY_PUBLICATION_DELAI`, 0.5 s) and a circuit breaker: after a
failure, publishing to that broker is skipped for `CELERY_PUBLICATION_PAUSE` seconds, so a request
that writes seven messages to a hung Redis waits one timeout, not seven.
"""

import logging
import threading
import time

from celery import Task
from django.conf import settings
from django.db import transaction

from .celery import app

logger = logging.getLogger(__name__)

_pannes: dict[str, float] = {}  # broker URL → monotonic time until which publishing is skipped
_verrou = threading.Lock()


def courtier_en_panne(url: str) -> bool:
    with _verrou:
        return _pannes.get(url, 0) > time.monotonic()


def _noter_panne(url: str) -> None:
    with _verrou:
        _pannes[url] = time.monotonic() + settings.CELERY_PUBLICATION_PAUSE


def _noter_retour(url: str) -> None:
    with _verrou:
        _pannes.pop(url, None)


def options_file(file: str) -> dict:
    """Queue and time limits (soft, hard) of one of the portal's queues: emails, documents, periodique."""
    souple, dure = settings.CELERY_LIMITES_PAR_FILE[file]
    return {"queue": settings.CELERY_FILES[file], "soft_time_limit": souple, "time_limit": dure}


def envoyer_a_celery(tache: Task, *args, file: str | None = None, **kwargs) -> bool:
    """Publish the task now; return False (and log) when the broker cannot be reached in time."""
    url = app.conf.broker_url
    if courtier_en_panne(url):
        logger.warning("Courtier Celery injoignable (échec récent), %s différée sans nouvel essai.", tache.name)
        return False
    delai = settings.CELERY_PUBLICATION_DELAI
    options = options_file(file) if file else {}
    try:
        # A fresh connection each time (none left broken by an outage), one attempt with short
        # timeouts: the sweep retries later, the web request must not wait.
        with app.connection_for_write(
            connect_timeout=delai,
            transport_options={"socket_connect_timeout": delai, "socket_timeout": delai, "max_retries": 0},
        ) as connexion:
            connexion.ensure_connection(max_retries=0, timeout=delai)
            tache.apply_async(args=args, kwargs=kwargs, connection=connexion, retry=False, **options)
    except Exception as erreur:  # the broker's client raises many kinds of errors; none may reach the user
        _noter_panne(url)
        logger.warning("Courtier Celery injoignable, %s différée : %s", tache.name, erreur)
        return False
    _noter_retour(url)
    return True


def planifier_apres_commit(tache: Task, *args, file: str | None = None, **kwargs) -> None:
    """Enqueue the task once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: envoyer_a_celery(tache, *args, file=file, **kwargs))
