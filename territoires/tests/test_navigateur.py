import pytest
from playwright.sync_api import expect

from portal.roles import Role
from territoires.chargement import territoires_charger

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_an_agent_finds_the_epci_of_a_commune_with_the_keyboard(
    page, live_server, creer_agent, connecter, verifier_axe
):
    territoires_charger()
    connecter(page, creer_agent(Role.CHARGE_DE_MISSION))
    page.goto(f"{live_server.url}/agents/territoires/epci/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les EPCI de la région")
    verifier_axe(page)

    champ = page.get_by_role("combobox", name="Commune")
    expect(champ).to_have_attribute("aria-expanded", "false")
    champ.press_sequentially("saint quen", delay=20)
    liste = page.get_by_role("listbox", name="Communes proposées")
    options = liste.get_by_role("option")
    expect(options).to_have_count(10)
    expect(options.first).to_contain_text("Saint-Quentin (02691)")
    expect(champ).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#div_id_commune [role=status]")).to_contain_text("10 communes proposées")
    verifier_axe(page)  # the open combobox and its listbox too

    # Escape closes the list, the down arrow opens it again on the first option.
    champ.press("Escape")
    expect(liste).to_be_hidden()
    expect(champ).to_have_attribute("aria-expanded", "false")
    champ.press("ArrowDown")
    champ.press("ArrowDown")
    champ.press("ArrowUp")
    expect(champ).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    expect(options.first).to_have_attribute("aria-selected", "true")
    champ.press("Enter")

    expect(champ).to_have_value("Saint-Quentin (02691)")
    expect(liste).to_be_hidden()
    # The INSEE code travels under the field's name; the visible field has none.
    expect(page.locator("input[type=hidden][name=commune]")).to_have_value("02691")
    expect(champ).not_to_have_attribute("name", "commune")

    champ.press("Enter")  # the list is closed: Enter submits the form
    page.wait_for_url(f"{live_server.url}/agents/territoires/epci/200071892/?commune=02691")
    expect(page.get_by_role("heading", level=1)).to_have_text("Communauté d'agglomération du Saint-Quentinois")
    expect(page.get_by_role("status")).to_contain_text("Saint-Quentin (02691) appartient à cet EPCI")
    expect(page.get_by_role("img", name="Carte des EPCI des Hauts-de-France")).to_be_visible()
    verifier_axe(page)
