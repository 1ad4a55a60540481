"""Digests through a real Celery worker and under concurrency: one email per period, whatever happens."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from aides.catalogue.models.alerte import Alerte
from aides.catalogue.referentiels import Thematique
from aides.catalogue.services import alertes
from aides.catalogue.tasks import alertes_envoyer_task
from aides.catalogue.tests.factories import DispositifFactory
from conftest import attendre, en_parallele
from portal.models import Notification
from portal.taches import envoyer_a_celery


def alerte_et_nouvelle_aide() -> Alerte:
    alerte = Alerte.objects.create(
        email="dirigeante@exemple.fr",
        requete="thematique=numerique",
        frequence=Alerte.Frequence.QUOTIDIENNE,
        cree_le=timezone.now() - timedelta(days=2),
        confirmee_le=timezone.now() - timedelta(days=2),
    )
    DispositifFactory(nom="Chèque numérique", thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now())
    return alerte


@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_once_write_one_digest():
    alerte_et_nouvelle_aide()
    resultats = en_parallele(alertes.alertes_envoyer, alertes.alertes_envoyer)
    assert sorted(resultats) == [0, 1]
    assert Notification.objects.filter(gabarit="alerte_digest").count() == 1


@pytest.mark.worker
def test_the_beat_task_run_twice_by_a_real_worker_sends_one_email_with_the_unsubscribe_header(celery_worker):
    alerte_et_nouvelle_aide()
    assert envoyer_a_celery(alertes_envoyer_task)
    assert envoyer_a_celery(alertes_envoyer_task)
    mails = attendre(lambda: celery_worker.mails(), delai=30)
    time.sleep(2)  # the second run had time to (not) write another one
    mails = celery_worker.mails()
    assert len(mails) == 1
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in mails[0]
    assert "Chèque numérique" in mails[0] or "Ch=C3=A8que" in mails[0]
    assert Notification.objects.get(gabarit="alerte_digest").statut == Notification.Statut.ENVOYEE
