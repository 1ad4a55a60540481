"""/sante/: the state of the database and of the Celery broker, for load balancers and monitoring."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_health_is_200_when_the_database_and_the_broker_answer(client):
    reponse = client.get("/sante/")

    assert reponse.status_code == 200
    assert reponse.json() == {"statut": "ok", "base_de_donnees": "ok", "courtier": "ok"}
    assert "no-cache" in reponse.headers["Cache-Control"]


def test_health_is_503_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    reponse = client.get("/sante/")

    assert reponse.status_code == 503
    assert reponse.json() == {"statut": "degrade", "base_de_donnees": "ok", "courtier": "injoignable"}


def test_health_is_503_when_the_database_is_down(client, monkeypatch):
    def base_injoignable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(connection, "cursor", base_injoignable)

    reponse = client.get("/sante/")

    assert reponse.status_code == 503
    assert reponse.json() == {"statut": "degrade", "base_de_donnees": "injoignable", "courtier": "ok"}
