"""Calendar (iCalendar) of closing dates and Atom feed of new aids, for any catalogue search."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.referentiels import Thematique
from aides.catalogue.tests.factories import DispositifFactory
from aides.catalogue.views.flux import ics_plier

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def lignes_depliees(contenu: str) -> list[str]:
    return contenu.replace("\r\n ", "").split("\r\n")


def test_the_calendar_lists_the_closing_dates_of_the_search_in_rfc_5545(client):
    jour = timezone.localdate()
    DispositifFactory(
        nom="Chèque numérique; édition, spéciale",
        slug="cheque",
        thematiques=[Thematique.NUMERIQUE],
        date_cloture=jour + timedelta(days=20),
    )
    DispositifFactory(nom="Aide permanente", thematiques=[Thematique.NUMERIQUE])
    DispositifFactory(nom="Export", thematiques=[Thematique.EXPORT_ATTRACTIVITE], date_cloture=jour + timedelta(days=5))
    reponse = client.get(reverse("aides:calendrier"), {"thematique": "numerique"})
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("text/calendar")
    contenu = reponse.content.decode()
    assert contenu.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and contenu.endswith("END:VCALENDAR\r\n")
    assert all(len(ligne.encode()) <= 75 for ligne in contenu.split("\r\n"))
    lignes = lignes_depliees(contenu)
    assert lignes.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Clôture : Chèque numérique\\; édition\\, spéciale" in lignes
    assert f"DTSTART;VALUE=DATE:{jour + timedelta(days=20):%Y%m%d}" in lignes
    assert f"DTEND;VALUE=DATE:{jour + timedelta(days=21):%Y%m%d}" in lignes
    assert "UID:cloture-cheque@testserver" in lignes


def test_folding_never_cuts_a_character():
    ligne = "DESCRIPTION:" + "é" * 100
    pliee = ics_plier(ligne)
    assert all(len(morceau.encode()) <= 75 for morceau in pliee.split("\r\n"))
    assert pliee.replace("\r\n ", "") == ligne


def test_the_atom_feed_lists_the_new_aids_of_the_search_newest_first(client):
    DispositifFactory(nom="Ancienne", thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now() - timedelta(days=3))
    DispositifFactory(nom="Récente", thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now())
    DispositifFactory(nom="Export", thematiques=[Thematique.EXPORT_ATTRACTIVITE], publie_le=timezone.now())
    reponse = client.get(reverse("aides:flux"), {"thematique": "numerique"})
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("application/atom+xml")
    racine = ET.fromstring(reponse.content)
    titres = [e.find(f"{ATOM}title").text for e in racine.findall(f"{ATOM}entry")]
    assert titres == ["Récente", "Ancienne"]
    assert racine.find(f"{ATOM}entry/{ATOM}link").get("href").startswith("http://testserver/aides/")


def test_an_invalid_search_is_refused(client):
    assert client.get(reverse("aides:calendrier"), {"thematique": "inconnue"}).status_code == 400
    assert client.get(reverse("aides:flux"), {"thematique": "inconnue"}).status_code == 404


def test_the_catalogue_links_to_the_feeds_of_its_search(client):
    html = client.get(reverse("aides:catalogue"), {"thematique": "numerique"}).content.decode()
    assert "/aides/flux.atom?thematique=numerique" in html and "/aides/calendrier.ics?thematique=numerique" in html
