import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from aides.demandes.models.demande import Demande
from aides.demandes.tests.factories import demande_deposee

pytestmark = pytest.mark.django_db


def test_the_command_renders_the_receipts_whose_task_was_lost():
    demande = demande_deposee()
    Demande.objects.filter(pk=demande.pk).update(depose_le=timezone.now() - timedelta(minutes=5))
    recente = demande_deposee()  # its own task is on the way: left alone
    sortie = io.StringIO()
    call_command("recepisses_generer", stdout=sortie)
    assert sortie.getvalue().strip() == "1 récépissé(s) généré(s)."
    demande.refresh_from_db()
    recente.refresh_from_db()
    assert demande.recepisse.read(5) == b"%PDF-" and len(demande.recepisse_sha256) == 64
    assert not recente.recepisse
    call_command("recepisses_generer", stdout=sortie)
    assert sortie.getvalue().strip().endswith("0 récépissé(s) généré(s).")
