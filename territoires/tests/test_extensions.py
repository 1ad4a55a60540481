"""The extension point other apps use to add sections to territoires' pages (no other app involved)."""

import copy

import pytest

from territoires.extensions import (
    PAGE_CONTACTS,
    PAGE_CONVENTION,
    PAGE_EPCI,
    Section,
    section_enregistrer,
    section_retirer,
)
from territoires.tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gabarit(settings, tmp_path):
    dossier = tmp_path / "gabarits"
    (dossier / "essai").mkdir(parents=True)
    (dossier / "essai" / "_section.html").write_text("<p>Objet : {{ objet }} ({{ chemin }})</p>")
    gabarits = copy.deepcopy(settings.TEMPLATES)
    gabarits[0]["DIRS"] = [*gabarits[0]["DIRS"], dossier]
    settings.TEMPLATES = gabarits  # assigning (not mutating) resets the template engines
    return "essai/_section.html"


@pytest.fixture
def enregistrer():
    """Register fournisseurs for one test, and remove them afterwards."""
    enregistres = []

    def fabrique(page, fournisseur, **options):
        section_enregistrer(page, fournisseur, **options)
        enregistres.append((page, fournisseur))

    yield fabrique
    for page, fournisseur in enregistres:
        section_retirer(page, fournisseur)


def test_a_registered_section_appears_on_the_three_pages_with_its_object_and_request(
    client, pilotage, amiens, gabarit, enregistrer
):
    convention = ConventionFactory(epci=amiens)

    def fournisseur(objet, request):
        return Section("Dispositifs couverts", gabarit, {"objet": objet, "chemin": request.path})

    for page in (PAGE_CONTACTS, PAGE_EPCI, PAGE_CONVENTION):
        enregistrer(page, fournisseur)

    publique = client.get(f"/territoires/{amiens.siren}/contacts/").content.decode()
    assert '<h2 class="h4" id="section-dispositifs-couverts">Dispositifs couverts</h2>' in publique
    assert f"Objet : {amiens.nom} (/territoires/{amiens.siren}/contacts/)".replace("'", "&#x27;") in publique

    client.force_login(pilotage)
    fiche = client.get(f"/agents/territoires/epci/{amiens.siren}/").content.decode()
    assert "Dispositifs couverts" in fiche and f"(/agents/territoires/epci/{amiens.siren}/)" in fiche
    page_convention = client.get(f"/agents/territoires/conventions/{convention.pk}/").content.decode()
    assert f"Objet : {convention}" in page_convention.replace("&#x27;", "'")


def test_a_section_returning_none_is_not_shown_and_sections_come_in_order(client, amiens, gabarit, enregistrer):
    enregistrer(PAGE_CONTACTS, lambda epci, request: Section("Deuxième", gabarit, {"objet": "b"}), ordre=20)
    enregistrer(PAGE_CONTACTS, lambda epci, request: None, ordre=5)
    enregistrer(PAGE_CONTACTS, lambda epci, request: Section("Première", gabarit, {"objet": "a"}), ordre=10)
    contenu = client.get(f"/territoires/{amiens.siren}/contacts/").content.decode()
    assert contenu.index(">Première</h2>") < contenu.index(">Deuxième</h2>")
    assert contenu.count('id="section-') == 2


def test_registering_twice_adds_the_section_once_and_an_unknown_page_is_refused(client, amiens, gabarit, enregistrer):
    def fournisseur(epci, request):
        return Section("Une seule fois", gabarit, {"objet": epci})

    enregistrer(PAGE_CONTACTS, fournisseur)
    enregistrer(PAGE_CONTACTS, fournisseur)
    assert client.get(f"/territoires/{amiens.siren}/contacts/").content.decode().count("Une seule fois") == 1
    with pytest.raises(ValueError, match="Page inconnue"):
        section_enregistrer("accueil", fournisseur)
