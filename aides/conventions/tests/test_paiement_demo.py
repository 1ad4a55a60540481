"""Demo rows of issue 17: a payment request in each state, reports, a repayment schedule; once."""

import io
from decimal import Decimal

import pytest

from aides.conventions import demo_paiement
from aides.conventions.models.convention import ConventionAide
from aides.conventions.models.paiement import DemandeVersement, EcheanceRemboursement, RapportFinal
from aides.conventions.tests.factories_paiement import convention_a_payer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_demo_payment_requests_in_every_state_once():
    pks = [convention_a_payer(montant=Decimal("20000"))[0].pk for _ in range(5)]
    ConventionAide.objects.filter(pk__in=pks).update(demo=True)
    ConventionAide.objects.filter(pk=pks[-1]).update(nature="pret")
    sortie = io.StringIO()
    demo_paiement.charger(sortie)
    demo_paiement.charger(sortie)
    assert set(DemandeVersement.objects.filter(demo=True).values_list("etat", flat=True)) == set(
        DemandeVersement.Etat.values
    )
    assert DemandeVersement.objects.count() == 5
    acceptee = DemandeVersement.objects.get(etat="acceptee")
    assert acceptee.versement.montant == acceptee.montant_retenu == Decimal("2600.00")
    assert sorted(RapportFinal.objects.values_list("etat", flat=True)) == ["depose", "valide"]
    echeances = list(EcheanceRemboursement.objects.filter(demo=True))
    statuts = {e.statut() for e in echeances}
    assert {"payee", "en_retard", "a_venir"} <= statuts
    assert "(déjà là)" in sortie.getvalue()
