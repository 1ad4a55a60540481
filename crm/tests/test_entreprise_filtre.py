"""The company timeline narrows to one kind of event (`?genre=`), server-side."""

import re

import pytest

from portal.tests.pages import pages_remplies

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_entreprise(client):
    pages = pages_remplies()
    client.force_login(pages.agent)
    return next(url for url in pages.staff if re.fullmatch(r"/agents/crm/entreprises/\d{9}/", url))


def test_the_timeline_offers_the_kinds_present_and_narrows_to_one(client, page_entreprise):
    tout = client.get(page_entreprise).content.decode()
    assert '<select class="form-select" name="genre" id="filtre-genre">' in tout
    assert '<option value="interaction">Interactions (visites, appels…)</option>' in tout
    assert '<option value="demande">Demandes d&#x27;aide</option>' in tout
    assert "Visite de l&#x27;atelier" in tout and "Demande déposée" in tout

    interactions = client.get(page_entreprise, {"genre": "interaction"}).content.decode()
    assert "Visite de l&#x27;atelier" in interactions
    assert "Demande déposée" not in interactions
    assert '<option value="interaction" selected>' in interactions

    demandes = client.get(page_entreprise, {"genre": "demande"}).content.decode()
    assert "Demande déposée" in demandes
    assert "Visite de l&#x27;atelier" not in demandes


def test_an_unknown_kind_shows_everything(client, page_entreprise):
    page = client.get(page_entreprise, {"genre": "inconnu"}).content.decode()
    assert "Visite de l&#x27;atelier" in page and "Demande déposée" in page


def test_the_tasks_come_before_the_history_on_a_phone(client, page_entreprise):
    page = client.get(page_entreprise).content.decode()
    assert 'class="col-lg-4 order-first order-lg-last"' in page
    assert "Envoyer le dossier d&#x27;aide" in page
