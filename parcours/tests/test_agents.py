from html import unescape

import pytest

from aides.catalogue.tests.factories import DispositifFactory
from parcours.models import ParcoursType
from parcours.tests.factories import EtapeParcoursFactory, ParcoursTypeFactory
from portal.models import Direction
from portal.roles import Role


@pytest.fixture
def pilotage_client(client, creer_agent):
    client.force_login(creer_agent(Role.PILOTAGE))
    return client


def formulaire(direction, **champs):
    donnees = {
        "nom": "Recruter avec Proch'emploi",
        "slug": "recruter-proch-emploi",
        "description": "Trouver ses futurs salariés.",
        "direction": direction.pk,
        "ordre": "10",
        "actif": "on",
        "projets": ["recruter"],
        "etapes-TOTAL_FORMS": "2",
        "etapes-INITIAL_FORMS": "0",
        "etapes-MIN_NUM_FORMS": "1",
        "etapes-MAX_NUM_FORMS": "1000",
        "etapes-0-ordre": "1",
        "etapes-0-type": "diagnostic",
        "etapes-0-titre": "Définir le besoin",
        "etapes-0-operateurs": "Proch'emploi",
        "etapes-1-ordre": "1",  # what a browser sends for an untouched empty step
        "etapes-1-type": "",
        "etapes-1-titre": "",
    }
    donnees.update(champs)
    return donnees


def test_pilotage_creates_a_parcours_with_its_steps_without_javascript(pilotage_client):
    dpre = Direction.objects.get(code="DPRE")
    aide = DispositifFactory(nom="Aide au recrutement")
    page = pilotage_client.get("/agents/parcours/nouveau/")
    assert page.status_code == 200
    assert page.content.decode().count('name="etapes-') > 10  # empty step forms, no JavaScript needed
    reponse = pilotage_client.post("/agents/parcours/nouveau/", formulaire(dpre, **{"etapes-0-dispositifs": [aide.pk]}))
    parcours = ParcoursType.objects.get()
    assert reponse["Location"] == f"/agents/parcours/{parcours.pk}/"
    assert parcours.projets == ["recruter"] and parcours.direction == dpre
    etape = parcours.etapes.get()
    assert etape.titre == "Définir le besoin" and list(etape.dispositifs.all()) == [aide]


def test_an_invalid_parcours_keeps_what_was_typed_with_french_errors(pilotage_client):
    reponse = pilotage_client.post(
        "/agents/parcours/nouveau/", formulaire(Direction.objects.get(code="DPRE"), slug="", **{"etapes-0-titre": ""})
    )
    html = unescape(reponse.content.decode())
    assert reponse.status_code == 200
    assert "Le parcours n'a pas été enregistré" in html and "Ce champ est obligatoire" in html
    assert 'value="Recruter avec Proch\'emploi"' in html or "Recruter avec Proch'emploi" in html
    assert not ParcoursType.objects.exists()


def test_pilotage_edits_and_deletes_a_parcours(pilotage_client):
    parcours = ParcoursTypeFactory(nom="Ancien nom")
    etape = EtapeParcoursFactory(parcours=parcours, titre="Diagnostic")
    donnees = formulaire(
        parcours.direction,
        nom="Nouveau nom",
        slug=parcours.slug,
        **{
            "etapes-INITIAL_FORMS": "1",
            "etapes-0-id": str(etape.pk),
            "etapes-0-titre": "Diagnostic de départ",
        },
    )
    assert pilotage_client.post(f"/agents/parcours/{parcours.pk}/modifier/", donnees).status_code == 302
    parcours.refresh_from_db()
    assert parcours.nom == "Nouveau nom" and parcours.etapes.get().titre == "Diagnostic de départ"
    assert parcours.historique.count() == 2
    assert pilotage_client.post(f"/agents/parcours/{parcours.pk}/supprimer/").status_code == 302
    assert not ParcoursType.objects.exists()


def test_other_agents_read_but_cannot_edit(agent_client):
    parcours = ParcoursTypeFactory(nom="Parcours lisible")
    assert "Parcours lisible" in agent_client.get("/agents/parcours/").content.decode()
    detail = agent_client.get(f"/agents/parcours/{parcours.pk}/").content.decode()
    assert "Parcours lisible" in detail and "Modifier" not in detail
    assert agent_client.get("/agents/parcours/nouveau/").status_code == 403
    assert agent_client.get(f"/agents/parcours/{parcours.pk}/modifier/").status_code == 403
    assert agent_client.post(f"/agents/parcours/{parcours.pk}/supprimer/").status_code == 403
    assert ParcoursType.objects.exists()


def test_companies_and_anonymous_users_cannot_open_the_staff_pages(client, entreprise_client):
    parcours = ParcoursTypeFactory()
    assert entreprise_client.get("/agents/parcours/").status_code == 403
    client.logout()
    assert client.get(f"/agents/parcours/{parcours.pk}/")["Location"].startswith("/connexion/")


def test_a_bad_parcours_id_is_a_404(pilotage_client):
    assert pilotage_client.get("/agents/parcours/999999/").status_code == 404
    assert pilotage_client.get("/agents/parcours/999999/modifier/").status_code == 404


def test_the_list_is_paginated_with_bounded_queries(pilotage_client, django_assert_max_num_queries):
    for _ in range(30):
        ParcoursTypeFactory()
    with django_assert_max_num_queries(10):
        page = pilotage_client.get("/agents/parcours/").content.decode()
    assert "Page 1 sur 2" in page
