"""How long the web request waits on Celery's broker, when Redis answers and when it is down.

Usage (from the repo root, on a developer database that is migrated):
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail_portal .venv/bin/python bench/portal_courtier.py

Measures (median and 95th percentile, milliseconds):
- publishing one task with `portal.taches.envoyer_a_celery`, broker up and broker down (port 1);
- the same with kombu's default connection retry (what the code did before: one loop of retries
  bounded by CELERY_BROKER_CONNECTION_TIMEOUT);
- a whole POST /mot-de-passe/oublie/ (password reset through the outbox), broker up and down.
Tasks go to a private queue in Redis database 14, deleted at the end; the bench's user and
notifications are deleted too.
"""

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.test import Client  # noqa: E402

from portal.celery import app  # noqa: E402
from portal.models import Notification, User  # noqa: E402
from portal.taches import envoyer_a_celery  # noqa: E402
from portal.tasks import notification_envoyer_task  # noqa: E402

COURTIER = app.conf.broker_url
COURTIER_MORT = "redis://127.0.0.1:1/0"
FILE = f"bench-portal-{uuid.uuid4().hex[:8]}"
app.conf.task_default_queue = FILE


def mesurer(fonction, fois: int) -> str:
    durees = []
    for _ in range(fois):
        debut = time.perf_counter()
        fonction()
        durees.append((time.perf_counter() - debut) * 1000)
    durees.sort()
    p95 = durees[min(len(durees) - 1, int(len(durees) * 0.95))]
    return f"médiane {statistics.median(durees):8.1f} ms   p95 {p95:8.1f} ms   ({fois} fois)"


def publier_sans_limite() -> None:
    """The previous code: kombu retries the connection until the connect timeout runs out."""
    try:
        with app.connection_for_write() as connexion:
            notification_envoyer_task.apply_async(args=(0,), connection=connexion, retry=False)
    except Exception:
        pass


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    email = f"bench-{uuid.uuid4().hex[:8]}@exemple.fr"
    User.objects.create_user(email, "un-mot-de-passe-de-bench")
    client = Client(HTTP_HOST="localhost")

    def reinitialiser() -> None:
        reponse = client.post("/mot-de-passe/oublie/", {"email": email})
        assert reponse.status_code == 302, reponse.status_code

    try:
        for etat, url in (("courtier joignable", COURTIER), ("courtier arrêté", COURTIER_MORT)):
            app.conf.broker_url = url
            fois = 200 if url == COURTIER else 50
            print(f"--- {etat}")
            publier = lambda: envoyer_a_celery(notification_envoyer_task, 0)  # noqa: E731
            print(f"envoyer_a_celery                  {mesurer(publier, fois)}")
            print(
                f"publication, nouvelles tentatives {mesurer(publier_sans_limite, 5 if url == COURTIER_MORT else fois)}"
            )
            print(f"POST /mot-de-passe/oublie/        {mesurer(reinitialiser, 30)}")
    finally:
        app.conf.broker_url = COURTIER
        Notification.objects.filter(destinataire=email).delete()
        User.objects.filter(email=email).delete()
        with redis.Redis.from_url(COURTIER) as client_redis:
            client_redis.delete(FILE)


if __name__ == "__main__":
    main()
