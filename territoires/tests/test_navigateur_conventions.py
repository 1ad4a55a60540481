from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.roles import Role
from territoires.chargement import territoires_charger
from territoires.models import EPCI, ConventionTerritoriale
from territoires.tests.factories import AffectationFactory, ConventionFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_the_coverage_map_and_the_public_contacts_page_are_accessible(
    page, live_server, creer_agent, connecter, verifier_axe
):
    territoires_charger()
    amiens = EPCI.objects.get(siren="248000531")
    somme = list(EPCI.objects.filter(departements__code="80").exclude(pk=amiens.pk).order_by("nom")[:3])
    convention = ConventionFactory(epci=amiens)
    ConventionFactory(epci=somme[0], date_fin=timezone.localdate() + timedelta(days=40))
    ConventionFactory(epci=somme[1], statut=ConventionTerritoriale.Statut.EN_NEGOCIATION)
    charge = creer_agent(Role.CHARGE_DE_MISSION, first_name="Camille", last_name="Lefebvre", telephone="03 74 27 00 01")
    AffectationFactory(agent=charge, epci=amiens, mission="Développement économique")

    connecter(page, creer_agent(Role.PILOTAGE))
    page.goto(f"{live_server.url}/agents/territoires/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Conventions EPCI : couverture de la région")
    carte = page.get_by_role("group", name="Carte de la couverture des EPCI par les conventions")
    expect(carte.get_by_role("link")).to_have_count(92)
    expect(page.locator("path.conv-expire_bientot")).to_have_count(1)
    verifier_axe(page)

    carte.get_by_role("link", name=amiens.nom).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(amiens.nom)
    page.get_by_role("link", name="Page publique « Vos contacts à la Région »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos contacts à la Région")
    expect(page.get_by_text("Camille Lefebvre")).to_be_visible()
    verifier_axe(page)

    page.goto(f"{live_server.url}/agents/territoires/conventions/{convention.pk}/")
    expect(page.get_by_role("heading", name="Historique des modifications")).to_be_visible()
    verifier_axe(page)
