"""A receipt whose job was lost (broker down at deposit, worker crash) is rendered by the one sweep of
background jobs (`manage.py relancer_travaux`, every minute in Celery beat)."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from aides.demandes.tests.factories import demande_deposee
from portal.models import Travail
from portal.travaux import travail_executer

pytestmark = pytest.mark.django_db


def test_the_sweep_publishes_again_the_receipt_whose_job_was_lost_and_the_job_renders_it(file_celery):
    demande = demande_deposee()
    travail = Travail.objects.get(arguments__document_id=str(demande.recepisse_id))
    assert demande.recepisse.get_statut_display() == "En attente"
    file_celery.vider()  # the message published after the deposit is lost
    sortie = io.StringIO()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        call_command("relancer_travaux", stdout=sortie)
    assert "1 travail(aux) renvoyé(s) à Celery" in sortie.getvalue()
    assert ("portal.tasks.travail_executer", [travail.pk]) in file_celery.taches()  # with the deposit's emails
    assert travail_executer(travail_id=travail.pk) is True
    demande.recepisse.refresh_from_db()
    assert demande.recepisse.pret and demande.recepisse.fichier.read(5) == b"%PDF-"
    assert len(demande.recepisse.sha256) == 64
