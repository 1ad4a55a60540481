"""/sante/ (liveness, for load balancers) and /sante/pret/ (readiness and monitoring)."""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from portal.celery import app
from portal.models import Battement, Notification, Travail
from portal.periodes import battement_noter
from portal.sante import BATTEMENT_BALAYAGE

pytestmark = pytest.mark.django_db

COURTIER_MORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def courtier_mort(monkeypatch, settings):
    monkeypatch.setattr(app.conf, "broker_url", COURTIER_MORT)
    settings.CELERY_BROKER_URL = COURTIER_MORT


@pytest.fixture
def balayage_recent(db):
    battement_noter(BATTEMENT_BALAYAGE)


def test_liveness_is_200_when_the_database_answers(client):
    reponse = client.get("/sante/")

    assert reponse.status_code == 200
    assert reponse.json() == {"statut": "ok", "base_de_donnees": "ok"}
    assert "no-cache" in reponse.headers["Cache-Control"]


def test_redis_down_keeps_liveness_200_and_pages_200_but_readiness_503_with_the_reason(
    client, courtier_mort, balayage_recent
):
    assert client.get("/sante/").status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/aides/").status_code == 200

    reponse = client.get("/sante/pret/")

    assert reponse.status_code == 503
    corps = reponse.json()
    assert corps["statut"] == "degrade"
    assert corps["courtier"] == "injoignable"
    assert any("Courtier Celery (Redis) injoignable" in raison for raison in corps["raisons"])


def test_liveness_is_503_when_the_database_is_down(client, monkeypatch):
    def base_injoignable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(connection, "cursor", base_injoignable)

    reponse = client.get("/sante/")

    assert reponse.status_code == 503
    assert reponse.json() == {"statut": "degrade", "base_de_donnees": "injoignable"}


def test_readiness_is_200_with_every_figure_when_all_is_well(client, balayage_recent):
    Notification.objects.create(destinataire="a@example.org", gabarit="x", sujet="s", corps_texte="t", corps_html="h")

    reponse = client.get("/sante/pret/")

    assert reponse.status_code == 200, reponse.json()
    corps = reponse.json()
    assert corps["raisons"] == []
    assert corps["courtier"] == "ok"
    assert corps["stockage"] == "ok"
    assert corps["planificateur"]["age_secondes"] < 60
    assert corps["courriels"]["en_attente"] == 1
    assert corps["travaux"]["en_retard"] == 0


def test_readiness_reports_a_stale_scheduler(client):
    Battement.objects.create(nom=BATTEMENT_BALAYAGE, le=timezone.now() - timedelta(minutes=42))

    reponse = client.get("/sante/pret/")

    assert reponse.status_code == 503
    assert any("depuis 42 min" in raison for raison in reponse.json()["raisons"])


def test_readiness_reports_the_oldest_pending_email_and_late_jobs(client, balayage_recent):
    il_y_a_une_heure = timezone.now() - timedelta(hours=1)
    Notification.objects.create(
        destinataire="a@example.org", gabarit="x", sujet="s", corps_texte="t", corps_html="h", cree_le=il_y_a_une_heure
    )
    Travail.objects.create(
        tache="portal.documents.document_generer", arguments={"document_id": "1"}, cree_le=il_y_a_une_heure
    )

    reponse = client.get("/sante/pret/")

    assert reponse.status_code == 503
    corps = reponse.json()
    assert corps["courriels"]["plus_ancien_age_secondes"] >= 3600
    assert any("le plus ancien depuis 60 min" in raison for raison in corps["raisons"])
    assert corps["travaux"]["en_retard"] == 1
