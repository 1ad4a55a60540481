"""In a browser: the warning before the session ends, « Rester connecté », and a form refilled after
the session expired (values kept server-side)."""

import pytest

from conftest import code_totp
from portal.roles import Role

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_the_session_warning_appears_before_the_end_and_stay_logged_in_hides_it(
    page, live_server, creer_agent, connecter, settings, verifier_axe
):
    settings.SESSION_COOKIE_AGE = 5 * 60 + 3  # the warning comes 5 minutes before: after 3 s
    connecter(page, creer_agent(Role.CHARGE_DE_MISSION))
    page.goto(live_server.url + "/agents/crm/sollicitations/nouvelle/")
    avertissement = page.locator("#session-avertissement")
    avertissement.wait_for(state="visible", timeout=15000)
    assert "va expirer dans 5 minutes" in avertissement.inner_text()
    assert avertissement.get_attribute("role") == "alert"
    verifier_axe(page)
    page.get_by_role("button", name="Rester connecté").click()
    avertissement.wait_for(state="hidden", timeout=5000)


def test_a_form_sent_after_expiry_is_refilled_after_login(page, live_server, creer_agent, connecter, mot_de_passe):
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    connecter(page, agent)
    page.goto(live_server.url + "/agents/crm/sollicitations/nouvelle/")
    page.get_by_label("Vos nom et prénom").fill("Claire Martin")
    page.get_by_label("Précisez votre demande").fill("Trois pages de notes prises sur place.")
    page.context.clear_cookies(name="__Host-sessionid")  # the session ends while the form is open
    page.get_by_label("Vos nom et prénom").press("Enter")
    page.wait_for_url("**/connexion/**")
    connecter_ici = page.get_by_label("Adresse électronique")
    connecter_ici.fill(agent.email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à 6 chiffres").fill(code_totp(agent))  # staff: the second factor too
    page.get_by_role("button", name="Valider le code").click()
    page.wait_for_url("**/sollicitations/nouvelle/")
    assert page.get_by_label("Vos nom et prénom").input_value() == "Claire Martin"
    assert page.get_by_label("Précisez votre demande").input_value() == "Trois pages de notes prises sur place."
    assert page.get_by_text("ce que vous aviez saisi a été remis dans le formulaire").is_visible()
