from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from portal.models import Direction
from portal.roles import Role
from territoires import services
from territoires.models import ConventionTerritoriale, TypeConvention
from territoires.tests.factories import AffectationFactory, ConventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(amiens, creer_agent):
    daen = creer_agent(
        Role.CHARGE_DE_MISSION,
        first_name="Camille",
        last_name="Lefebvre",
        email="camille.lefebvre@hautsdefrance.fr",
        telephone="03 74 27 00 01",
        fonction="Chargée de mission territoriale",
    )
    prochemploi = creer_agent(
        Role.CHARGE_DE_MISSION,
        first_name="Yanis",
        last_name="Roussel",
        email="yanis.roussel@hautsdefrance.fr",
        direction=Direction.objects.get(code="DPRE"),
    )
    parti = creer_agent(Role.CHARGE_DE_MISSION, last_name="Parti", is_active=False)
    AffectationFactory(agent=daen, epci=amiens)
    AffectationFactory(agent=prochemploi, epci=amiens, mission="Recrutement et emploi")
    AffectationFactory(agent=parti, epci=amiens)
    return daen, prochemploi


def test_anyone_sees_the_contacts_of_a_territory_per_direction(client, amiens, contacts):
    reponse = client.get(f"/territoires/{amiens.siren}/contacts/")
    assert reponse.status_code == 200
    contenu = unescape(reponse.content.decode())
    assert "<h1>Vos contacts à la Région</h1>" in contenu
    assert amiens.nom in contenu
    daen_pos = contenu.index(">Direction de l'accompagnement des entreprises (DAEN)</h3>")
    dpre_pos = contenu.index(">Direction Proch'emploi (DPRE)</h3>")
    assert daen_pos < contenu.index("Camille Lefebvre") < dpre_pos < contenu.index("Yanis Roussel")
    assert 'href="mailto:camille.lefebvre@hautsdefrance.fr"' in contenu
    assert 'href="tel:0374270001"' in contenu
    assert "Chargée de mission territoriale" in contenu and "Recrutement et emploi" in contenu
    assert "Parti" not in contenu  # inactive agents are not contacts any more


def test_the_contacts_page_lists_conventions_in_force_but_nothing_staff_only(client, amiens, contacts):
    en_vigueur = ConventionFactory(
        epci=amiens,
        notes="Élu réticent, à relancer",
        signataire_region="Signataire confidentiel",
    )
    services.engagement_enregistrer(
        convention=en_vigueur,
        annee=timezone.localdate().year,
        montant_region=Decimal("987654"),
        montant_epci=Decimal("123456"),
        par=None,
    )
    ConventionFactory(
        epci=amiens,
        type=TypeConvention.CADRE,
        statut=ConventionTerritoriale.Statut.EN_NEGOCIATION,
        intitule="Projet secret de convention cadre",
    )
    contenu = unescape(client.get(f"/territoires/{amiens.siren}/contacts/").content.decode())
    assert f"Aides aux entreprises : jusqu'au {en_vigueur.date_fin:%d/%m/%Y}" in contenu
    for secret in (
        "Élu réticent",
        "987",
        "123 456",
        "123456",
        "Signataire confidentiel",
        "Projet secret",
        "Convention cadre personnalisée",
        "/agents/",
        en_vigueur.intitule,
    ):
        assert secret not in contenu, secret


def test_a_territory_without_contacts_says_where_to_write(client, amiens):
    contenu = unescape(client.get(f"/territoires/{amiens.siren}/contacts/").content.decode())
    assert "Aucun interlocuteur n'est encore désigné pour ce territoire." in contenu
    assert "Aucune convention n'est en vigueur aujourd'hui" in contenu


@pytest.mark.parametrize("siren", ["000000000", "abc", "2000718921"])
def test_an_unknown_siren_is_a_404(client, siren):
    assert client.get(f"/territoires/{siren}/contacts/").status_code == 404


def test_the_contacts_page_runs_a_bounded_number_of_queries(client, amiens, contacts, django_assert_max_num_queries):
    ConventionFactory(epci=amiens)
    with django_assert_max_num_queries(6):
        assert client.get(f"/territoires/{amiens.siren}/contacts/").status_code == 200
