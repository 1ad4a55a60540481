"""Payments: the ceiling (service and database), their cycle, the solde that closes the convention."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from aides.conventions.models.convention import ConventionAide, Etape
from aides.conventions.models.versement import Versement
from aides.conventions.services import convention as sc
from aides.conventions.tests.factories import convention_creee, convention_notifiee
from aides.demandes.tests.factories import fichier_pdf
from conftest import en_parallele
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.usefixtures("media")


def _payer(versement, par):
    for _ in range(3):
        versement = sc.versement_avancer(versement_id=versement.pk, par=par)
    return versement


@pytest.mark.django_db
def test_no_payment_before_the_convention_is_notified():
    convention = convention_creee()
    with pytest.raises(ValidationError, match="aucun versement"):
        sc.versement_creer(convention_id=convention.pk, par=convention.gestionnaire, type="avance", montant=Decimal(1))


@pytest.mark.django_db
def test_payments_go_through_their_states_and_the_solde_closes_the_convention():
    convention = convention_notifiee(montant=Decimal("20000"))
    gestionnaire = convention.gestionnaire
    avance = sc.versement_creer(convention_id=convention.pk, par=gestionnaire, type="avance", montant=Decimal("6000"))
    convention.refresh_from_db()
    assert convention.etape == Etape.EN_EXECUTION  # the first payment starts the execution
    avance = _payer(avance, gestionnaire)
    assert avance.etat == Versement.Etat.PAYE and avance.controle_le and avance.mandate_le and avance.paye_le
    solde = sc.versement_creer(convention_id=convention.pk, par=gestionnaire, type="solde", montant=Decimal("14000"))
    _payer(solde, gestionnaire)
    convention.refresh_from_db()
    assert convention.etape == Etape.SOLDEE
    assert convention.total_versements == Decimal("20000")


@pytest.mark.django_db
def test_the_solde_waits_for_earlier_payments_to_be_paid():
    convention = convention_notifiee()
    gestionnaire = convention.gestionnaire
    sc.versement_creer(convention_id=convention.pk, par=gestionnaire, type="avance", montant=Decimal("1000"))
    solde = sc.versement_creer(convention_id=convention.pk, par=gestionnaire, type="solde", montant=Decimal("1000"))
    sc.versement_avancer(versement_id=solde.pk, par=gestionnaire)
    sc.versement_avancer(versement_id=solde.pk, par=gestionnaire)
    with pytest.raises(ValidationError, match="avant le solde"):
        sc.versement_avancer(versement_id=solde.pk, par=gestionnaire)


@pytest.mark.django_db
def test_a_payment_above_what_remains_is_refused_with_the_remaining_amount():
    convention = convention_notifiee(montant=Decimal("20000"))
    sc.versement_creer(
        convention_id=convention.pk, par=convention.gestionnaire, type="avance", montant=Decimal("15000")
    )
    with pytest.raises(ValidationError) as erreur:
        sc.versement_creer(
            convention_id=convention.pk, par=convention.gestionnaire, type="acompte", montant=Decimal("5000.01")
        )
    assert "il reste 5\u00a0000,00\u00a0€" in erreur.value.message_dict["montant"][0]


@pytest.mark.django_db
def test_the_database_refuses_payments_above_the_amount_even_bypassing_the_service():
    convention = convention_notifiee(montant=Decimal("20000"))
    with pytest.raises(IntegrityError, match="convention_versements_plafonnes"), transaction.atomic():
        ConventionAide.objects.filter(pk=convention.pk).update(total_versements=Decimal("20000.01"))


@pytest.mark.django_db
def test_a_payment_inserted_without_the_service_still_cannot_exceed_the_amount():
    convention = convention_notifiee(montant=Decimal("20000"))
    gestionnaire = convention.gestionnaire
    Versement.objects.create(convention=convention, type="avance", montant=Decimal("15000"), par=gestionnaire)
    convention.refresh_from_db()
    assert convention.total_versements == Decimal("15000")
    with pytest.raises(IntegrityError, match="convention_versements_plafonnes"), transaction.atomic():
        Versement.objects.create(convention=convention, type="acompte", montant=Decimal("5000.01"), par=gestionnaire)
    Versement.objects.filter(convention=convention).delete()
    convention.refresh_from_db()
    assert convention.total_versements == 0


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_cannot_exceed_the_amount():
    from territoires.chargement import territoires_charger

    territoires_charger()
    convention = convention_notifiee(montant=Decimal("20000"))
    gestionnaire = convention.gestionnaire

    def verser():
        return sc.versement_creer(
            convention_id=convention.pk, par=gestionnaire, type="acompte", montant=Decimal("12000")
        )

    resultats = en_parallele(verser, verser)
    reussis = [r for r in resultats if isinstance(r, Versement)]
    refuses = [r for r in resultats if isinstance(r, ValidationError)]
    assert len(reussis) == 1 and len(refuses) == 1, resultats
    convention.refresh_from_db()
    assert convention.total_versements == Decimal("12000")
    assert Versement.objects.filter(convention=convention).count() == 1


@pytest.mark.django_db
def test_the_page_records_a_payment_with_its_proof_and_shows_the_remaining_amount(client):
    convention = convention_notifiee(montant=Decimal("20000"))
    client.force_login(convention.gestionnaire)
    url = reverse("aides_saf:versement-creer", args=[convention.pk])
    reponse = client.post(url, {"type": "avance", "montant": "25000"})
    assert reponse.status_code == 400 and "dépasserait le montant accordé" in reponse.content.decode()
    reponse = client.post(url, {"type": "avance", "montant": "6000", "justificatif": fichier_pdf("etat-depenses.pdf")})
    assert reponse.status_code == 302
    versement = Versement.objects.get(convention=convention)
    assert versement.pieces.get().nom_original == "etat-depenses.pdf"
    client.post(reverse("aides_saf:versement-avancer", args=[convention.pk, versement.pk]))
    client.post(reverse("aides_saf:versement-avancer", args=[convention.pk, versement.pk]))
    client.post(reverse("aides_saf:versement-avancer", args=[convention.pk, versement.pk]))
    page = client.get(reverse("aides_saf:convention", args=[convention.pk])).content.decode()
    assert "reste à payer : 14\u00a0000,00\u00a0€" in page
    piece = versement.pieces.get()
    assert client.get(reverse("aides_saf:piece", args=[convention.pk, piece.pk])).status_code == 200


@pytest.mark.django_db
def test_an_agent_without_the_saf_role_cannot_record_a_payment(client):
    convention = convention_notifiee()
    client.force_login(AgentFactory(roles=[Role.SERVICE_FEDER]))
    reponse = client.post(
        reverse("aides_saf:versement-creer", args=[convention.pk]), {"type": "avance", "montant": "100"}
    )
    assert reponse.status_code == 403
    assert not Versement.objects.exists()
