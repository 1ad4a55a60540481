from datetime import timedelta
from decimal import Decimal

import pytest

from portal.templatetags.portail import duree, euros, euros_arrondis


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (12500, "12 500,00 €"),
        (Decimal("1234567.891"), "1 234 567,89 €"),
        (0, "0,00 €"),
        (Decimal("-45.5"), "-45,50 €"),
        (999, "999,00 €"),
    ],
)
def test_amounts_are_written_the_french_way(valeur, attendu):
    assert euros(valeur) == attendu.replace(" ", "\u00a0")


def test_whole_euros_drop_the_cents():
    assert euros_arrondis(300000) == "300\u00a0000\u00a0€"


def test_nothing_is_written_for_a_missing_amount():
    assert euros(None) == ""


@pytest.mark.parametrize(
    ("duree_", "attendu"),
    [
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(hours=1, minutes=30), "1 heure 30 minutes"),
        (timedelta(hours=2), "2 heures"),
        (timedelta(seconds=20), "moins d'une minute"),
    ],
)
def test_durations_are_written_in_french_words(duree_, attendu):
    assert duree(duree_) == attendu
