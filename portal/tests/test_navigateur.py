import pytest

from portal.roles import Role

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_home_page_is_accessible(page, live_server, verifier_axe):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).is_visible()
    verifier_axe(page)


def test_skip_link_leads_to_the_content(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    lien = page.get_by_role("link", name="Aller au contenu")
    assert lien.evaluate("e => e === document.activeElement")
    lien.press("Enter")
    assert page.url.endswith("#contenu")


def test_an_agent_logs_in_and_reaches_the_back_office(page, live_server, creer_agent, connecter, verifier_axe):
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    page.goto(live_server.url + "/connexion/")
    verifier_axe(page)
    connecter(page, agent)
    assert page.url == live_server.url + "/agents/"
    assert page.get_by_role("heading", name="Espace agents").is_visible()
    verifier_axe(page)


def test_a_failed_login_is_summarised_and_focuses_the_field_to_fix(page, live_server, verifier_axe):
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique").fill("gerante@exemple.fr")
    page.get_by_role("button", name="Se connecter").click()

    resume = page.get_by_role("alert")
    assert "Saisissez votre mot de passe." in resume.inner_text()
    assert page.evaluate("document.activeElement.id") == "id_password"
    assert page.get_by_label("Adresse électronique").input_value() == "gerante@exemple.fr"
    verifier_axe(page)


def test_the_password_reset_pages_are_accessible(page, live_server, verifier_axe):
    page.goto(live_server.url + "/mot-de-passe/oublie/")
    verifier_axe(page)
    page.get_by_label("Adresse électronique").fill("personne@exemple.fr")
    page.get_by_role("button", name="Recevoir le lien").click()

    assert page.get_by_role("heading", level=1, name="Vérifiez votre messagerie").is_visible()
    verifier_axe(page)


def test_the_menu_is_reachable_on_a_phone_without_javascript(browser, live_server):
    contexte = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = contexte.new_page()
    page.goto(live_server.url + "/")
    assert page.get_by_role("link", name="Les aides").is_visible()
    assert not page.get_by_role("button", name="Ouvrir ou fermer le menu").is_visible()
    contexte.close()


def test_the_menu_collapses_behind_its_button_on_a_phone_with_javascript(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    assert not page.get_by_role("link", name="Les aides").is_visible()
    page.get_by_role("button", name="Ouvrir ou fermer le menu").click()
    page.get_by_role("link", name="Les aides").wait_for()
    assert page.get_by_role("link", name="Les aides").is_visible()
