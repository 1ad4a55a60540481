"""Health of the services the portal depends on."""

import redis
from django.conf import settings
from django.db import connection


def etat_base() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def etat_courtier() -> bool:
    try:
        with redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1) as client:
            return bool(client.ping())
    except Exception:
        return False
