"""Second factor (TOTP): without the force_login shortcut, staff log in with password AND code."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import code_totp
from portal import double_facteur as df
from portal.roles import Role
from portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def se_connecter(client, user, mot_de_passe, **donnees):
    return client.post("/connexion/", {"username": user.email, "password": mot_de_passe, **donnees})


def code_depuis_page(page: str) -> str:
    """What the person does with the text secret: type it into an app, which shows the code."""
    secret = re.search(r'id="cle-secrete">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    secret += "=" * (-len(secret) % 8)
    return f"{totp(b32decode(secret)):06d}"


# --- A password alone opens nothing of the staff ------------------------------------------------


@pytest.mark.parametrize("url", ["/agents/", "/agents/crm/", "/admin/", "/admin/portal/user/"])
def test_a_staff_password_without_code_reaches_neither_agents_nor_admin(client, creer_agent, mot_de_passe, url):
    admin = creer_agent(Role.ADMINISTRATEUR, is_superuser=True)
    code_totp(admin)  # enrolled: the login asks for the code
    se_connecter(client, admin, mot_de_passe)

    reponse = client.get(url)

    assert reponse.status_code == 302
    assert reponse.url.startswith("/connexion/second-facteur/?next=")
    assert client.get(reponse.url).status_code == 200


def test_a_staff_member_without_device_is_sent_to_enrolment_everywhere(client, agent, mot_de_passe):
    se_connecter(client, agent, mot_de_passe)

    for url in ("/agents/", "/admin/", "/espace/", "/aides/"):
        reponse = client.get(url)
        assert reponse.status_code == 302 and reponse.url.startswith("/connexion/second-facteur/activer/"), url
    assert not TOTPDevice.objects.filter(user=agent, confirmed=True).exists()


def test_the_admin_site_itself_refuses_a_session_without_second_factor(creer_agent):
    from django.contrib import admin

    admin_user = creer_agent(Role.ADMINISTRATEUR, is_superuser=True)
    requete = RequestFactory().get("/admin/")
    requete.user = admin_user
    admin_user.is_verified = lambda: False
    assert not admin.site.has_permission(requete)
    admin_user.is_verified = lambda: True
    assert admin.site.has_permission(requete)


def test_the_admin_login_page_is_the_portal_login(client):
    reponse = client.get("/admin/login/?next=/admin/")

    assert reponse.status_code == 302 and reponse.url.startswith("/connexion/?next=/admin/")


# --- Enrolment at first login -------------------------------------------------------------------


def test_enrolment_at_first_login_then_the_code_at_each_login(client, agent, mot_de_passe):
    reponse = se_connecter(client, agent, mot_de_passe, next="/agents/")
    activation = client.get(reponse.url, follow=True)
    assert activation.redirect_chain[-1][0].startswith("/connexion/second-facteur/activer/")
    page = activation.content.decode()
    assert "Activer la vérification en deux étapes" in page
    assert re.search(r'<img src="data:image/svg\+xml[^"]+"[^>]*alt="Code QR', page)
    champ = re.search(r"<input[^>]*name=\"code\"[^>]*>", page).group(0)
    assert 'autocomplete="one-time-code"' in champ and 'inputmode="numeric"' in champ
    assert re.search(r'<label\s+for="id_code"[^>]*>\s*Code à 6 chiffres', page)

    reponse = client.post(activation.redirect_chain[-1][0], {"code": code_depuis_page(page)})

    assert reponse.status_code == 302 and reponse.url == "/agents/"
    assert client.get("/agents/").status_code == 200
    assert TOTPDevice.objects.get(user=agent).confirmed

    client.post("/deconnexion/")
    reponse = se_connecter(client, agent, mot_de_passe)
    assert client.get(reponse.url).url.startswith("/connexion/second-facteur/?next=")
    assert client.get("/agents/").status_code == 302
    client.post("/connexion/second-facteur/", {"code": code_totp(agent)})
    assert client.get("/agents/").status_code == 200


def test_enrolment_keeps_the_same_secret_until_confirmed_and_refuses_a_wrong_code(client, agent, mot_de_passe):
    se_connecter(client, agent, mot_de_passe)
    premiere = client.get("/connexion/second-facteur/activer/").content.decode()
    seconde = client.get("/connexion/second-facteur/activer/").content.decode()
    assert code_depuis_page(premiere) == code_depuis_page(seconde)

    reponse = client.post("/connexion/second-facteur/activer/", {"code": "000000"})

    assert reponse.status_code == 400
    assert "Code incorrect ou expiré" in reponse.content.decode()
    assert not TOTPDevice.objects.filter(user=agent, confirmed=True).exists()
    assert client.get("/agents/").status_code == 302


# --- Wrong codes are refused and slowed down ----------------------------------------------------


def test_a_wrong_code_is_refused_and_the_next_attempts_are_throttled(client, agent, mot_de_passe, time_machine):
    time_machine.move_to("2026-06-01 10:00:00+02:00", tick=False)
    bon = code_totp(agent)
    faux = f"{(int(bon) + 1) % 1_000_000:06d}"
    se_connecter(client, agent, mot_de_passe)

    refus = client.post("/connexion/second-facteur/", {"code": faux})
    assert refus.status_code == 400
    page = refus.content.decode()
    assert "Code incorrect ou expiré" in page and 'role="alert"' in page

    # Right after a wrong code, even the right one waits: 1 s, then 2 s, 4 s…
    ralenti = client.post("/connexion/second-facteur/", {"code": bon})
    assert ralenti.status_code == 400
    assert "Trop de codes erronés : attendez" in ralenti.content.decode()
    assert client.get("/agents/").status_code == 302

    for _ in range(4):
        time_machine.shift(timedelta(seconds=20))
        client.post("/connexion/second-facteur/", {"code": "123abc"})
    assert TOTPDevice.objects.get(user=agent).throttling_failure_count >= 5
    time_machine.shift(timedelta(seconds=3))
    assert "Trop de codes erronés" in client.post("/connexion/second-facteur/", {"code": bon}).content.decode()

    time_machine.shift(timedelta(minutes=10))
    reponse = client.post("/connexion/second-facteur/", {"code": code_totp(agent)})
    assert reponse.status_code == 302
    assert client.get("/agents/").status_code == 200


def test_a_code_is_accepted_only_once(client, agent, mot_de_passe, time_machine):
    time_machine.move_to("2026-06-01 10:00:00+02:00", tick=False)
    code = code_totp(agent)
    se_connecter(client, agent, mot_de_passe)
    assert client.post("/connexion/second-facteur/", {"code": code}).status_code == 302
    client.post("/deconnexion/")

    se_connecter(client, agent, mot_de_passe)
    assert client.post("/connexion/second-facteur/", {"code": code}).status_code == 400


# --- Reset by an administrator ------------------------------------------------------------------


def test_an_administrator_resets_a_second_factor_from_the_admin_and_it_is_logged(client, creer_agent):
    admin = creer_agent(Role.ADMINISTRATEUR, is_superuser=True)
    agent = creer_agent(Role.INSTRUCTEUR)
    code_totp(agent)
    collegue = UserFactory()
    client.force_login(admin)

    reponse = client.post(
        "/admin/portal/user/",
        {"action": "reinitialiser_second_facteur", "_selected_action": [agent.pk]},
        follow=True,
    )

    assert reponse.status_code == 200
    assert "Second facteur réinitialisé pour 1 compte(s)" in reponse.content.decode()
    assert not TOTPDevice.objects.filter(user=agent).exists()
    entree = LogEntry.objects.get(object_id=str(agent.pk))
    assert entree.user == admin and "Second facteur réinitialisé" in entree.get_change_message()
    assert TOTPDevice.objects.filter(user=admin).exists() and not TOTPDevice.objects.filter(user=collegue).exists()


def test_the_admin_never_shows_a_totp_secret(client, creer_agent):
    client.force_login(creer_agent(Role.ADMINISTRATEUR, is_superuser=True))

    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert "totpdevice" not in client.get("/admin/").content.decode()


def test_a_session_verified_with_a_reset_device_is_sent_back_to_enrolment(client, creer_agent, agent):
    admin = creer_agent(Role.ADMINISTRATEUR, is_superuser=True)
    client.force_login(agent)
    assert client.get("/agents/").status_code == 200

    df.second_facteur_reinitialiser(user=agent, par=admin)

    reponse = client.get("/agents/")
    assert reponse.status_code == 302 and reponse.url.startswith("/connexion/second-facteur/activer/")


def test_only_an_administrator_resets_a_second_factor(creer_agent, agent):
    from django.core.exceptions import ValidationError

    code_totp(agent)
    with pytest.raises(ValidationError):
        df.second_facteur_reinitialiser(user=agent, par=creer_agent(Role.PILOTAGE))
    assert TOTPDevice.objects.filter(user=agent).exists()


# --- Companies may opt in -----------------------------------------------------------------------


def test_a_company_account_logs_in_with_its_password_only_by_default(client, utilisateur_entreprise, mot_de_passe):
    se_connecter(client, utilisateur_entreprise, mot_de_passe)

    reponse = client.get("/compte/securite/")
    assert reponse.status_code == 200
    assert "est <strong>désactivée</strong>" in reponse.content.decode()
    for url in ("/espace/", "/aides/"):
        assert "second-facteur" not in client.get(url).get("Location", ""), url


def test_a_company_account_enables_the_second_factor_and_is_then_asked_for_it(
    client, utilisateur_entreprise, mot_de_passe
):
    se_connecter(client, utilisateur_entreprise, mot_de_passe)
    page = client.get("/connexion/second-facteur/activer/?next=/compte/securite/").content.decode()
    reponse = client.post(
        "/connexion/second-facteur/activer/", {"code": code_depuis_page(page), "next": "/compte/securite/"}
    )
    assert reponse.url == "/compte/securite/"
    assert "est <strong>activée</strong>" in client.get("/compte/securite/").content.decode()
    client.post("/deconnexion/")

    se_connecter(client, utilisateur_entreprise, mot_de_passe)
    assert client.get("/espace/").url.startswith("/connexion/second-facteur/?next=/espace/")
    assert client.post("/connexion/second-facteur/", {"code": "999999"}).status_code == 400


def test_a_company_account_turns_the_second_factor_off_with_password_and_code(
    client, utilisateur_entreprise, mot_de_passe
):
    code_totp(utilisateur_entreprise)
    client.force_login(utilisateur_entreprise)

    refus = client.post("/compte/securite/", {"mot_de_passe": "pas-le-bon", "code": code_totp(utilisateur_entreprise)})
    assert refus.status_code == 400 and "Mot de passe incorrect" in refus.content.decode()
    assert TOTPDevice.objects.filter(user=utilisateur_entreprise).exists()

    reponse = client.post(
        "/compte/securite/", {"mot_de_passe": mot_de_passe, "code": code_totp(utilisateur_entreprise)}
    )
    assert reponse.status_code == 302
    assert not TOTPDevice.objects.filter(user=utilisateur_entreprise).exists()


def test_staff_cannot_turn_the_second_factor_off(client, agent, mot_de_passe):
    client.force_login(agent)

    reponse = client.post("/compte/securite/", {"mot_de_passe": mot_de_passe, "code": code_totp(agent)})

    assert reponse.status_code == 400
    assert TOTPDevice.objects.filter(user=agent, confirmed=True).exists()


# --- The demo secret --------------------------------------------------------------------------


def test_the_demo_secret_is_refused_when_debug_is_off(agent, settings):
    from django.core.exceptions import ValidationError

    settings.DEBUG = False
    with pytest.raises(ValidationError):
        df.appareil_demo_creer(agent)
    appareil = TOTPDevice.objects.create(user=agent, name="copie", key=df.CLE_DEMO, confirmed=True)
    with pytest.raises(ValidationError, match="démonstration"):
        df.code_verifier(agent, f"{totp(appareil.bin_key):06d}", appareil=appareil)


def test_the_demo_secret_works_with_debug_on(agent, settings):
    settings.DEBUG = True
    appareil = df.appareil_demo_creer(agent)

    assert df.secret_base32(appareil).replace(" ", "") == df.SECRET_DEMO
    assert df.code_verifier(agent, f"{totp(b32decode(df.SECRET_DEMO)):06d}") == appareil
