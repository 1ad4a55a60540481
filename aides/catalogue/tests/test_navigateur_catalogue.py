"""In a real browser: search, filter by commune through the autocompletion, open a result, axe."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from aides.catalogue.referentiels import Thematique
from aides.catalogue.tests.factories import DispositifFactory
from territoires.chargement import territoires_charger

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue():
    territoires_charger()
    DispositifFactory(
        nom="Chèque numérique Somme",
        slug="cheque-numerique-somme",
        resume="Pour numériser votre commerce.",
        description="## Dépenses\n\n- site marchand\n- logiciel de caisse",
        thematiques=[Thematique.NUMERIQUE],
        couvre_region=False,
        departements=["80"],
        montant_max=5000,
        documents_requis=["Devis"],
    )
    DispositifFactory(
        nom="Pass numérique Nord",
        slug="pass-numerique-nord",
        thematiques=[Thematique.NUMERIQUE],
        couvre_region=False,
        departements=["59"],
    )
    DispositifFactory(
        nom="Transformation numérique régionale",
        slug="transformation-numerique",
        thematiques=[Thematique.NUMERIQUE, Thematique.INNOVATION],
    )
    DispositifFactory(nom="Prêt export", slug="pret-export", thematiques=[Thematique.EXPORT_ATTRACTIVITE])
    DispositifFactory(
        nom="Appel numérique 2020",
        slug="appel-2020",
        thematiques=[Thematique.NUMERIQUE],
        date_ouverture=date(2020, 1, 1),
        date_cloture=date(2020, 12, 31),
    )


def titres(page) -> list[str]:
    return page.locator(".liste-aides h3").all_inner_texts()


def test_a_company_searches_filters_by_commune_and_opens_an_aid(page, live_server, catalogue, verifier_axe):
    page.goto(live_server.url + "/aides/")
    verifier_axe(page)

    page.get_by_label("Mots-clés").fill("numerique")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("#titre-resultats")).to_contain_text("3 aides trouvées")
    expect(page.locator("#annonce-resultats")).to_contain_text("3 aides trouvées")
    expect(page).to_have_url(re.compile(r"/aides/\?q=numerique$"))

    # The commune through the autocompletion: type, pick "Amiens (80021)" with the keyboard.
    commune = page.get_by_role("combobox", name="Commune de votre entreprise")
    commune.fill("amien")
    expect(page.get_by_role("option", name=re.compile(r"^Amiens \(80021\)"))).to_be_visible()
    commune.press("ArrowDown")
    commune.press("Enter")
    expect(commune).to_have_value("Amiens (80021)")
    commune.press("Enter")  # submits the search

    expect(page.locator("#titre-resultats")).to_contain_text("2 aides trouvées")
    assert sorted(titres(page)) == ["Chèque numérique Somme", "Transformation numérique régionale"]
    expect(page).to_have_url(re.compile(r"commune=80021"))
    # The facet counts were refreshed in place with the other filters (Nord aid gone).
    expect(page.locator('.facette [data-compteur="thematique-numerique"]')).to_have_text("2")
    expect(page.locator('.facette [data-compteur="thematique-innovation"]')).to_have_text("1")

    # Ticking a facet refreshes the results without a reload; Back restores the previous state.
    page.get_by_role("checkbox", name=re.compile(r"^Innovation ")).check()
    expect(page.locator("#titre-resultats")).to_contain_text("1 aide trouvée")
    expect(page).to_have_url(re.compile(r"thematique=innovation"))
    verifier_axe(page)
    page.go_back()
    expect(page.locator("#titre-resultats")).to_contain_text("2 aides trouvées")
    expect(page.get_by_role("checkbox", name=re.compile(r"^Innovation "))).not_to_be_checked()

    page.get_by_role("link", name="Chèque numérique Somme").click()
    expect(page).to_have_url(live_server.url + "/aides/cheque-numerique-somme/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chèque numérique Somme")
    expect(page.get_by_role("link", name="Déposer une demande")).to_have_attribute(
        "href", "/espace/demandes/nouvelle/cheque-numerique-somme/"
    )
    verifier_axe(page)

    # A closed aid: its banner, no application button, and still no serious axe violation.
    page.goto(live_server.url + "/aides/appel-2020/")
    expect(page.get_by_role("note")).to_contain_text("Cette aide est clôturée")
    expect(page.get_by_role("link", name="Déposer une demande")).to_have_count(0)
    verifier_axe(page)


def test_the_catalogue_works_without_javascript(browser, live_server, catalogue):
    contexte = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = contexte.new_page()
    try:
        page.goto(live_server.url + "/aides/")
        page.get_by_label("Mots-clés").fill("numérique")
        page.get_by_label("Commune de votre entreprise").fill("Lille")
        page.get_by_role("button", name="Rechercher", exact=True).click()
        expect(page.locator("#titre-resultats")).to_contain_text("2 aides trouvées")
        assert sorted(titres(page)) == ["Pass numérique Nord", "Transformation numérique régionale"]
        expect(page.get_by_label("Commune de votre entreprise")).to_have_value("Lille (59350)")
    finally:
        contexte.close()
