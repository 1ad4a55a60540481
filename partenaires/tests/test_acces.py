"""Who sees what: a partner only its structure, an EPCI user only its territory; outsiders 404;
partners and EPCI users get nothing under /agents/."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from crm.tests.factories import StructureFactory
from partenaires import services
from partenaires.models import Prescription
from portal.roles import Role
from territoires.models import Commune

from .factories import MembreEpciFactory, MembreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bge():
    return StructureFactory(nom="BGE Picardie", sigle="BGE")


@pytest.fixture
def orientation(creer_demande, bge, agent):
    return services.orientation_creer(sollicitation=creer_demande(), structure=bge, par=agent, motif="Création")


@pytest.fixture
def membre_bge(bge):
    return MembreFactory(structure=bge).utilisateur


@pytest.fixture
def membre_autre():
    return MembreFactory(structure=StructureFactory(nom="CCI Autre")).utilisateur


@pytest.fixture
def prescription(membre_bge):
    return services.prescription_creer(
        par=membre_bge,
        commune=Commune.objects.get(code_insee="80021"),
        besoin="creer",
        siret="12345678900012",
        nom="Jean Dupont",
        email="jean@exemple.fr",
    )


def test_a_member_of_the_structure_opens_its_referral_and_its_prescription(
    client, membre_bge, orientation, prescription
):
    client.force_login(membre_bge)
    assert client.get(reverse("partenaires:tableau")).status_code == 200
    assert "Claire Martin" in client.get(reverse("partenaires:orientation", args=[orientation.pk])).content.decode()
    assert client.get(reverse("partenaires:prescription", args=[prescription.pk])).status_code == 200


def test_a_member_of_another_structure_gets_404_on_them(client, membre_autre, orientation, prescription):
    client.force_login(membre_autre)
    assert client.get(reverse("partenaires:orientation", args=[orientation.pk])).status_code == 404
    assert client.get(reverse("partenaires:prescription", args=[prescription.pk])).status_code == 404
    assert "Claire Martin" not in client.get(reverse("partenaires:tableau")).content.decode()
    reponse = client.post(reverse("partenaires:orientation", args=[orientation.pk]), {"action": "prendre"})
    assert reponse.status_code == 404
    orientation.refresh_from_db()
    assert orientation.statut == "transmise"


def test_an_epci_user_gets_404_on_partner_objects(client, orientation, prescription):
    client.force_login(MembreEpciFactory(epci=Commune.objects.get(code_insee="80021").epci).utilisateur)
    assert client.get(reverse("partenaires:orientation", args=[orientation.pk])).status_code == 404
    assert client.get(reverse("partenaires:prescription", args=[prescription.pk])).status_code == 404


@pytest.mark.parametrize("qui", ["entreprise", "agent"])
def test_a_company_or_an_agent_gets_404_in_the_partner_space(client, qui, orientation, utilisateur_entreprise, agent):
    client.force_login(utilisateur_entreprise if qui == "entreprise" else agent)
    assert client.get(reverse("partenaires:tableau")).status_code == 404
    assert client.get(reverse("partenaires:orientation", args=[orientation.pk])).status_code == 404
    assert client.get(reverse("partenaires:epci")).status_code == 404


def test_anonymous_is_sent_to_the_login(client, orientation):
    reponse = client.get(reverse("partenaires:orientation", args=[orientation.pk]))
    assert reponse.status_code == 302 and reponse["Location"].startswith("/connexion/")


@pytest.mark.parametrize("url", ["/agents/", "/agents/crm/", "/agents/crm/sollicitations/", "/agents/territoires/"])
def test_partners_and_epci_users_get_nothing_under_agents(client, membre_bge, url):
    for user in (membre_bge, MembreEpciFactory(epci=Commune.objects.get(code_insee="80021").epci).utilisateur):
        client.force_login(user)
        assert client.get(url).status_code == 403, (user, url)


def test_partners_get_nothing_of_a_request_under_agents(client, membre_bge, orientation):
    client.force_login(membre_bge)
    assert client.get(reverse("crm_agents:sollicitation", args=[orientation.sollicitation_id])).status_code == 403


def test_an_epci_user_sees_its_territory_and_nothing_of_another(client, creer_demande):
    amiens = Commune.objects.get(code_insee="80021")
    lille = Commune.objects.get(code_insee="59350")
    creer_demande("80021", nom="Demande Amiens", besoin="investir")
    creer_demande("59350", nom="Demande Lille", besoin="exporter")
    client.force_login(MembreEpciFactory(epci=amiens.epci).utilisateur)
    page = client.get(reverse("partenaires:epci")).content.decode()
    assert escape(amiens.epci.nom) in page and "Demande Amiens" not in page  # no names of people
    assert "Investir" in page and "Exporter" not in page and escape(lille.epci.nom) not in page


def test_an_epci_page_runs_a_bounded_number_of_queries(client, creer_demande, django_assert_max_num_queries):
    amiens = Commune.objects.get(code_insee="80021")
    for i in range(5):
        creer_demande("80021", nom=f"Demande {i}")
    client.force_login(MembreEpciFactory(epci=amiens.epci).utilisateur)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("partenaires:epci")).status_code == 200


def test_the_partner_list_runs_a_bounded_number_of_queries(
    client, creer_demande, bge, agent, membre_bge, django_assert_max_num_queries
):
    for i in range(5):
        services.orientation_creer(sollicitation=creer_demande(nom=f"D{i}"), structure=bge, par=agent)
    client.force_login(membre_bge)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("partenaires:tableau")).status_code == 200


def test_a_partner_role_is_not_an_agent_role(membre_bge):
    assert membre_bge.roles_agent() == []
    assert membre_bge.a_role(Role.PARTENAIRE)
    assert Prescription.objects.count() == 0
