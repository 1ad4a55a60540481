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


def test_a_new_agent_enrols_the_second_factor_at_first_login(
    page, live_server, creer_agent, mot_de_passe, verifier_axe
):
    """The real thing, without any shortcut: password, then the QR code page, whose text secret an
    authenticator app turns into the code; the next login asks for the code only."""
    from base64 import b32decode

    from django_otp.oath import totp

    agent = creer_agent(Role.INSTRUCTEUR)
    page.goto(live_server.url + "/agents/")
    page.get_by_label("Adresse électronique").fill(agent.email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()

    assert page.get_by_role("heading", level=1, name="Activer la vérification en deux étapes").is_visible()
    assert page.get_by_role("img", name="Code QR de la clé secrète").is_visible()
    verifier_axe(page)
    champ = page.get_by_label("Code à 6 chiffres")
    assert champ.get_attribute("autocomplete") == "one-time-code"
    assert champ.get_attribute("inputmode") == "numeric"
    secret = page.locator("#cle-secrete").inner_text().replace(" ", "")
    cle = b32decode(secret + "=" * (-len(secret) % 8))

    champ.fill("000000" if f"{totp(cle):06d}" != "000000" else "111111")
    page.get_by_role("button", name="Activer").click()
    assert "Code incorrect ou expiré" in page.get_by_role("alert").inner_text()
    verifier_axe(page)
    page.wait_for_timeout(1100)  # a wrong code slows the next attempt down by a second
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(cle):06d}")
    page.get_by_role("button", name="Activer").click()
    assert page.url == live_server.url + "/agents/"
    assert page.get_by_role("heading", name="Espace agents").is_visible()

    page.locator("summary", has_text="Mon compte").click()  # the account menu holds « Se déconnecter »
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique").fill(agent.email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_role("heading", level=1, name="Code de vérification").is_visible()
    verifier_axe(page)
    page.goto(live_server.url + "/admin/")
    assert "/connexion/second-facteur/" in page.url  # the admin is closed without the code too


def test_a_company_account_turns_the_second_factor_on_from_its_security_page(
    browser, live_server, connecter, verifier_axe
):
    from base64 import b32decode

    from django_otp.oath import totp

    from portal.tests.factories import UserFactory

    entreprise = UserFactory(roles=[Role.ENTREPRISE])
    contexte = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = contexte.new_page()
    connecter(page, entreprise)
    page.goto(live_server.url + "/compte/securite/")
    assert "est désactivée" in page.get_by_role("main").inner_text()
    verifier_axe(page)

    page.get_by_role("link", name="Activer la vérification en deux étapes").click()
    secret = page.locator("#cle-secrete").inner_text().replace(" ", "")
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(b32decode(secret + '=' * (-len(secret) % 8))):06d}")
    page.get_by_role("button", name="Activer").click()

    assert page.url == live_server.url + "/compte/securite/"
    assert "est activée" in page.get_by_role("main").inner_text()
    assert page.get_by_role("button", name="Désactiver la vérification en deux étapes").is_visible()
    verifier_axe(page)
    contexte.close()
