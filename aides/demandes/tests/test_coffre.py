"""The company's document safe: verified members deposit and read; the expiry date follows the
type; other companies, unverified members and staff without the role get 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aides.demandes.formulaire import documents_valides
from aides.demandes.models.coffre import DocumentEntreprise
from aides.demandes.tests.factories import RepresentantFactory, demandeur_non_verifie, fichier_pdf, membre_de
from aides.demandes.tests.factories_formulaire import kbis_au_coffre
from crm.tests.factories import EtablissementFactory
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def representant():
    return RepresentantFactory()


def test_a_member_deposits_a_kbis_valid_three_months_by_default(client, representant):
    client.force_login(representant.utilisateur)
    reponse = client.post(reverse("espace:coffre"), {"type": "kbis", "fichier": fichier_pdf("kbis.pdf")})
    assert reponse.status_code == 302
    document = DocumentEntreprise.objects.get()
    assert document.entreprise_id == representant.entreprise_id
    assert document.valable_jusqu_au == timezone.localdate() + timedelta(days=90)
    page = client.get(reverse("espace:coffre")).content.decode()
    assert "kbis.pdf" in page and "repris dans vos demandes" in page


def test_an_expired_date_or_a_missing_type_is_refused_in_french(client, representant):
    client.force_login(representant.utilisateur)
    hier = (timezone.localdate() - timedelta(days=1)).isoformat()
    reponse = client.post(reverse("espace:coffre"), {"type": "rib", "fichier": fichier_pdf(), "valable_jusqu_au": hier})
    assert reponse.status_code == 400
    assert "déjà expiré" in reponse.content.decode()
    reponse = client.post(reverse("espace:coffre"), {"fichier": fichier_pdf()})
    assert "Choisissez le type de document." in reponse.content.decode()
    assert not DocumentEntreprise.objects.exists()


def test_who_reads_a_document_of_the_safe(client, representant):
    document = kbis_au_coffre(representant)
    url = reverse("espace:coffre-document", args=[document.pk])
    collegue = membre_de(representant)
    autre = RepresentantFactory()
    non_verifie = demandeur_non_verifie(representant.etablissement)
    for user, attendu in (
        (representant.utilisateur, 200),
        (collegue.utilisateur, 200),
        (autre.utilisateur, 404),
        (non_verifie.utilisateur, 404),
        (AgentFactory(roles=[Role.INSTRUCTEUR]), 200),
        (AgentFactory(roles=[Role.CHARGE_DE_MISSION]), 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == attendu, user
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(non_verifie.utilisateur)
    assert client.get(reverse("espace:coffre")).status_code == 404


def test_a_reader_sees_the_safe_but_cannot_deposit(client, representant):
    lecteur = membre_de(representant, role="lecteur")
    client.force_login(lecteur.utilisateur)
    assert client.get(reverse("espace:coffre")).status_code == 200
    assert client.post(reverse("espace:coffre"), {"type": "rib", "fichier": fichier_pdf()}).status_code == 403


def test_the_newest_valid_document_is_the_one_reused(representant):

    ancien = kbis_au_coffre(representant, valable_jusqu_au=timezone.localdate() + timedelta(days=3), nom="a.pdf")
    assert documents_valides(representant.entreprise_id)["kbis"] == ancien
    recent = kbis_au_coffre(representant, nom="b.pdf")
    assert documents_valides(representant.entreprise_id)["kbis"] == recent
    EtablissementFactory()  # another company's documents never count
    assert documents_valides(RepresentantFactory().entreprise_id) == {}
