"""In a real browser: subscribe to a search's alert, confirm it, manage it, unsubscribe; axe on each page."""

import re

import pytest
from playwright.sync_api import expect

from aides.catalogue.models.alerte import Alerte
from aides.catalogue.referentiels import Thematique
from aides.catalogue.services import alertes
from aides.catalogue.tests.factories import DispositifFactory
from portal.models import Notification

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_a_visitor_subscribes_confirms_manages_and_unsubscribes(page, live_server, verifier_axe):
    DispositifFactory(nom="Chèque numérique", thematiques=[Thematique.NUMERIQUE])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/aides/?thematique=numerique")
    page.get_by_role("link", name="Recevoir les nouvelles aides").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recevoir les nouvelles aides")
    verifier_axe(page)

    page.get_by_label("Votre adresse électronique").fill("dirigeante@exemple.fr")
    page.get_by_label("Chaque jour").check()
    page.get_by_role("button", name="Recevoir les nouvelles aides").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre alerte")
    verifier_axe(page)

    notification = Notification.objects.get(gabarit="alerte_confirmer")
    confirmer = re.search(r"https?://\S+(/aides/alertes/confirmer/\S+/)", notification.corps_texte).group(1)
    page.goto(live_server.url + confirmer)
    verifier_axe(page)
    page.get_by_role("button", name="Confirmer mon alerte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre alerte est confirmée")
    page.get_by_role("link", name="Gérer mes alertes").click()
    expect(page.get_by_role("link", name="Thématique : Numérique")).to_be_visible()
    verifier_axe(page)

    alerte = Alerte.objects.get()
    assert alerte.est_confirmee and alerte.frequence == "quotidienne"
    page.goto(live_server.url + f"/aides/alertes/desinscrire/{alertes.jeton_alerte(alerte)}/")
    verifier_axe(page)
    page.get_by_role("button", name="Me désinscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes désinscrit")
    assert not Alerte.objects.exists()
