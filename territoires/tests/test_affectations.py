from datetime import date
from html import unescape

import pytest

from portal.models import Direction
from portal.roles import Role
from territoires.models import Affectation, EcheanceConventionnement

pytestmark = pytest.mark.django_db
URL = "/agents/territoires/affectations/"


def test_pilotage_assigns_an_agent_to_an_epci_and_removes_it(client, pilotage, creer_agent, amiens):
    agent = creer_agent(Role.CHARGE_DE_MISSION, last_name="Nouvelle")
    client.force_login(pilotage)
    reponse = client.post(URL, {"agent": agent.pk, "epci": amiens.siren, "direction": "DAEN", "mission": "Référente"})
    assert reponse.status_code == 302
    affectation = Affectation.objects.get(agent=agent)
    assert (affectation.epci, affectation.direction.code, affectation.mission) == (amiens, "DAEN", "Référente")
    assert "Nouvelle" in client.get(URL, {"q": "Amiens"}).content.decode()

    doublon = client.post(URL, {"agent": agent.pk, "epci": amiens.siren, "direction": "DAEN"})
    assert doublon.status_code == 400 and "existe déjà" in unescape(doublon.content.decode())

    assert client.post(f"{URL}{affectation.pk}/retirer/").status_code == 302
    assert not Affectation.objects.filter(agent=agent).exists()


def test_a_company_account_cannot_be_assigned(client, pilotage, utilisateur_entreprise, amiens):
    client.force_login(pilotage)
    reponse = client.post(URL, {"agent": utilisateur_entreprise.pk, "epci": amiens.siren, "direction": "DAEN"})
    assert "Choisissez un agent de la liste." in unescape(reponse.content.decode())
    assert not Affectation.objects.exists()


@pytest.mark.parametrize("role", [Role.CHARGE_DE_MISSION, Role.INSTRUCTEUR])
def test_other_agents_read_the_assignments_but_cannot_change_them(client, creer_agent, role, charge_affecte, amiens):
    client.force_login(creer_agent(role))
    page = client.get(URL)
    assert page.status_code == 200 and "Affecter un agent" not in page.content.decode()
    assert client.post(URL, {"agent": charge_affecte.pk, "epci": amiens.siren, "direction": "DPRE"}).status_code == 403
    affectation = Affectation.objects.get()
    assert client.post(f"{URL}{affectation.pk}/retirer/").status_code == 403
    assert Affectation.objects.count() == 1


def test_the_list_is_paginated_filtered_and_runs_few_queries(
    client, pilotage, creer_agent, django_assert_max_num_queries
):
    from territoires.models import EPCI

    agents = [creer_agent(Role.CHARGE_DE_MISSION) for _ in range(2)]
    dpre = Direction.objects.get(code="DPRE")
    for epci in EPCI.objects.all()[:40]:
        for agent in agents:
            Affectation.objects.create(agent=agent, epci=epci, direction=agent.direction)
        Affectation.objects.create(agent=agents[0], epci=epci, direction=dpre)
    client.force_login(pilotage)
    with django_assert_max_num_queries(14):
        contenu = client.get(URL).content.decode()
    assert "120 affectations – page 1 sur 3" in contenu
    assert "40 affectations" in client.get(URL, {"direction": "DPRE"}).content.decode()
    assert "Choisissez une direction de la liste." in unescape(client.get(URL, {"direction": "XX"}).content.decode())


# --- Deadlines (back office) ---------------------------------------------------------------------


def test_pilotage_sets_a_deadline_and_sees_how_many_epci_miss_it(client, pilotage):
    client.force_login(pilotage)
    reponse = client.post("/agents/territoires/echeances/", {"type": "aides", "date": "01/01/2027", "libelle": "Loi"})
    assert reponse.status_code == 302
    echeance = EcheanceConventionnement.objects.get()
    assert echeance.date == date(2027, 1, 1) and echeance.actif
    contenu = client.get("/agents/territoires/echeances/").content.decode()
    assert "01/01/2027" in contenu and ">92</a>" in contenu
    client.post(f"/agents/territoires/echeances/{echeance.pk}/activer/")
    echeance.refresh_from_db()
    assert not echeance.actif


def test_a_bad_deadline_is_explained(client, pilotage):
    client.force_login(pilotage)
    reponse = client.post("/agents/territoires/echeances/", {"type": "aides", "date": "31/02/2027"})
    assert reponse.status_code == 400
    assert "Saisissez une date valide" in unescape(reponse.content.decode())


def test_only_pilotage_manages_deadlines(agent_client):
    assert agent_client.get("/agents/territoires/echeances/").status_code == 403
    assert (
        agent_client.post("/agents/territoires/echeances/", {"type": "aides", "date": "01/01/2027"}).status_code == 403
    )
    assert not EcheanceConventionnement.objects.exists()
