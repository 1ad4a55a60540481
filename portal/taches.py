"""Enqueue Celery tasks after commit, without ever failing the caller when the broker is down.

Work that must not be lost (emails) is also recorded in the database and picked up again by a
periodic sweep, so a failed enqueue here only delays it.
"""

import logging

from celery import Task
from django.db import transaction

from .celery import app

logger = logging.getLogger(__name__)


def envoyer_a_celery(tache: Task, *args, **kwargs) -> bool:
    """Publish the task now; return False (and log) when the broker cannot be reached."""
    try:
        # A fresh connection from app.conf.broker_url each time: no pooled connection left broken
        # by an outage. One connection attempt (CELERY_BROKER_CONNECTION_TIMEOUT bounds it), not
        # kombu's default retry loop: the sweep retries later, the web request must not wait.
        with app.connection_for_write() as connexion:
            connexion.ensure_connection(max_retries=0)
            tache.apply_async(args=args, kwargs=kwargs, connection=connexion, retry=False)
    except Exception as erreur:  # the broker's client raises many kinds of errors; none may reach the user
        logger.warning("Courtier Celery injoignable, %s différée : %s", tache.name, erreur)
        return False
    return True


def planifier_apres_commit(tache: Task, *args, **kwargs) -> None:
    """Enqueue the task once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: envoyer_a_celery(tache, *args, **kwargs))
