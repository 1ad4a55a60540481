"""A periodic digest or list is claimed for its period: sent once whatever runs it."""

import pytest
from django.db import transaction

from conftest import en_parallele
from portal.models import EnvoiPeriodique
from portal.periodes import periode_reclamer, semaine_iso


@pytest.mark.django_db
def test_a_period_is_claimed_once_and_another_period_or_job_is_free():
    with transaction.atomic():
        assert periode_reclamer("digest", "2026-12-06") is True
        assert periode_reclamer("digest", "2026-12-06") is False
        assert periode_reclamer("digest", "2026-12-07") is True
        assert periode_reclamer("liste", "2026-12-06") is True


@pytest.mark.django_db
def test_a_claim_rolled_back_with_its_emails_leaves_the_period_free():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            assert periode_reclamer("digest", "2026-12-06")
            raise RuntimeError("le serveur de courriel a refusé")
    with transaction.atomic():
        assert periode_reclamer("digest", "2026-12-06") is True


@pytest.mark.django_db(transaction=True)
def test_a_claim_outside_the_sending_transaction_is_refused():
    with pytest.raises(RuntimeError):
        periode_reclamer("digest", "2026-12-06")


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_claim_the_period_once():
    def run():
        with transaction.atomic():
            return periode_reclamer("digest", "2026-12-06")

    assert sorted(en_parallele(run, run, run)) == [False, False, True]
    assert EnvoiPeriodique.objects.count() == 1


def test_a_week_is_its_iso_week():
    from datetime import date

    assert semaine_iso(date(2026, 12, 6)) == "2026-S49"
    assert semaine_iso(date(2027, 1, 1)) == "2026-S53"
