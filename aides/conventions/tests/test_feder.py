"""FEDER operations: archive-until date, publicity support rule, programmed vs paid, missing proofs."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from aides.catalogue.tests.factories import DispositifFactory
from aides.conventions.models.feder import (
    AppelDeFonds,
    ObjectifSpecifique,
    OperationFeder,
    PreuvePublicite,
    date_archivage,
)
from aides.conventions.services import convention as sc
from aides.conventions.tests.factories import convention_creee, convention_notifiee
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.usefixtures("media")


def _operation(convention, **champs) -> OperationFeder:
    valeurs = {
        "code_operation": f"HF{convention.pk:06d}",
        "objectif_specifique": ObjectifSpecifique.OS_1_3,
        "taux_ue": Decimal("40"),
        "cout_total_eligible": Decimal("100000"),
        "montant_ue": Decimal("40000"),
        **champs,
    }
    return OperationFeder.objects.create(convention=convention, **valeurs)


@pytest.mark.parametrize(
    "dernier_paiement, attendu",
    [
        (date(2026, 1, 1), date(2031, 12, 31)),
        (date(2026, 12, 31), date(2031, 12, 31)),
        (date(2027, 3, 15), date(2032, 12, 31)),
        (None, None),
    ],
)
def test_documents_are_kept_five_years_from_31_december_of_the_last_payment_year(dernier_paiement, attendu):
    assert date_archivage(dernier_paiement) == attendu


@pytest.mark.parametrize(
    "infrastructure, cout, support",
    [
        (True, Decimal("500000.01"), PreuvePublicite.Type.PLAQUE),
        (True, Decimal("500000"), PreuvePublicite.Type.AFFICHE),
        (False, Decimal("2000000"), PreuvePublicite.Type.AFFICHE),
    ],
)
def test_a_plaque_is_required_above_500000_euros_of_infrastructure_otherwise_a_poster(infrastructure, cout, support):
    operation = OperationFeder(infrastructure=infrastructure, cout_total_eligible=cout)
    assert operation.support_publicite == support


@pytest.mark.django_db
def test_paying_the_beneficiary_sets_the_last_payment_and_the_archive_date():
    convention = convention_notifiee(demande={"dispositif": DispositifFactory(eligible_feder=True)})
    operation = _operation(convention)
    versement = sc.versement_creer(
        convention_id=convention.pk, par=convention.gestionnaire, type="avance", montant=Decimal("1000")
    )
    for _ in range(3):
        sc.versement_avancer(versement_id=versement.pk, par=convention.gestionnaire)
    operation.refresh_from_db()
    assert operation.dernier_paiement_le is not None
    assert operation.archiver_jusqu_au == date(operation.dernier_paiement_le.year + 5, 12, 31)


@pytest.mark.django_db
def test_the_feder_view_compares_programmed_and_paid_and_lists_missing_proofs(client):
    dispositif = DispositifFactory(eligible_feder=True)
    avec_preuves = _operation(convention_creee(demande={"dispositif": dispositif}), montant_ue=Decimal("40000"))
    sans_plaque = _operation(
        convention_creee(demande={"dispositif": dispositif}),
        infrastructure=True,
        cout_total_eligible=Decimal("900000"),
        montant_ue=Decimal("300000"),
    )
    PreuvePublicite.objects.create(operation=avec_preuves, type=PreuvePublicite.Type.AFFICHE)
    PreuvePublicite.objects.create(operation=avec_preuves, type=PreuvePublicite.Type.SITE_WEB)
    # An A3 poster does not replace the plaque required above €500,000 of infrastructure.
    PreuvePublicite.objects.create(operation=sans_plaque, type=PreuvePublicite.Type.AFFICHE)
    PreuvePublicite.objects.create(operation=sans_plaque, type=PreuvePublicite.Type.SITE_WEB)
    AppelDeFonds.objects.create(
        operation=avec_preuves,
        numero=1,
        depenses_declarees=Decimal("50000"),
        montant_ue=Decimal("20000"),
        etat=AppelDeFonds.Etat.PAYE,
    )
    AppelDeFonds.objects.create(
        operation=avec_preuves, numero=2, depenses_declarees=Decimal("10000"), montant_ue=Decimal("4000")
    )
    client.force_login(AgentFactory(roles=[Role.SERVICE_FEDER]))
    reponse = client.get(reverse("aides_saf:feder"))
    assert reponse.status_code == 200
    (ligne,) = reponse.context["objectifs"]
    assert (ligne.operations, ligne.programme, ligne.paye) == (2, Decimal("340000"), Decimal("20000"))
    assert [op.code_operation for op in reponse.context["sans_preuve"]] == [sans_plaque.code_operation]


@pytest.mark.django_db
def test_the_feder_service_may_edit_operations_in_the_admin_and_pilotage_may_sign(client):
    from django.contrib.auth.models import Group

    assert Group.objects.get(name=Role.SERVICE_FEDER).permissions.filter(codename="change_operationfeder").exists()
    assert Group.objects.get(name=Role.PILOTAGE).permissions.filter(codename="signer_convention_region").exists()
    agent = AgentFactory(roles=[Role.SERVICE_FEDER])
    client.force_login(agent)
    assert client.get(reverse("admin:aides_operationfeder_changelist")).status_code == 200
