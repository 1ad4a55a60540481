"""Headers on every response type, `no-store` for logged-in users, `__Host-` cookies, and the
absolute session lifetime besides the idle one."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import code_totp
from portal.roles import Role

pytestmark = pytest.mark.django_db


def _connecter(client, agent, mot_de_passe) -> None:
    """The real login of an agent: the password, then the code of their second factor."""
    client.post("/connexion/", {"username": agent.email, "password": mot_de_passe})
    client.post("/connexion/second-facteur/", {"code": code_totp(agent)})


def _no_store(reponse) -> bool:
    return "no-store" in reponse.get("Cache-Control", "")


def test_every_response_carries_a_permissions_policy_and_anonymous_public_pages_stay_cacheable(client):
    for chemin, statut in [("/", 200), ("/aides/", 200), ("/api/v1/aides/", 200), ("/nulle-part/", 404)]:
        reponse = client.get(chemin)
        assert reponse.status_code == statut
        assert "camera=()" in reponse["Permissions-Policy"] and "geolocation=()" in reponse["Permissions-Policy"]
        assert not _no_store(reponse), chemin


def test_every_response_to_a_logged_in_user_is_no_store_pages_json_csv_redirects_and_errors(client, creer_agent):
    client.force_login(creer_agent(Role.PILOTAGE))
    for chemin, statut in [
        ("/agents/", 200),
        ("/", 200),
        ("/agents/crm/export.csv", 200),
        ("/agents/territoires/couverture.csv", 200),
        ("/agents/saf/export.xlsx", 200),
        ("/nulle-part/", 404),
        ("/espace/", 403),
        ("/connexion/", 302),
    ]:
        reponse = client.get(chemin)
        assert reponse.status_code == statut, chemin
        assert _no_store(reponse), chemin
        assert reponse["Permissions-Policy"]


def test_a_company_document_download_is_no_store(client, settings, tmp_path):
    from aides.demandes.tests.factories import DemandeFactory, piece_pour

    settings.MEDIA_ROOT = tmp_path
    demande = DemandeFactory()
    piece = piece_pour(demande)
    client.force_login(demande.demandeur)
    reponse = client.get(f"/espace/pieces/{piece.pk}/")
    assert reponse.status_code == 200
    assert _no_store(reponse) and reponse["Content-Disposition"].startswith("attachment")


def test_cookies_are_host_prefixed_secure_and_for_the_whole_site_in_production(client, agent, mot_de_passe, settings):
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid" and settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
    client.get("/connexion/")
    reponse = client.post("/connexion/", {"username": agent.email, "password": mot_de_passe})
    assert reponse.status_code == 302
    cookie = reponse.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
    assert client.cookies["__Host-csrftoken"]["secure"]


def test_a_session_ends_after_the_absolute_lifetime_even_when_active(client, agent, mot_de_passe, settings):
    settings.SESSION_ABSOLUE_HEURES = 12
    debut = timezone.now()
    with time_machine.travel(debut, tick=False):
        _connecter(client, agent, mot_de_passe)
    # Active every 50 minutes: the idle limit never strikes, the absolute one does.
    for minutes in range(50, 12 * 60, 50):
        with time_machine.travel(debut + timedelta(minutes=minutes), tick=False):
            assert client.get("/agents/").status_code == 200, minutes
    with time_machine.travel(debut + timedelta(hours=12, minutes=5), tick=False):
        reponse = client.get("/agents/")
    assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")
    with time_machine.travel(debut + timedelta(hours=12, minutes=6), tick=False):
        assert client.get("/agents/").status_code == 302
        _connecter(client, agent, mot_de_passe)
        assert client.get("/agents/").status_code == 200  # a new login starts a new lifetime


def test_a_form_sent_after_the_session_expired_is_kept_and_offered_again_after_login(
    client, agent, mot_de_passe, settings
):
    import json
    import re

    _connecter(client, agent, mot_de_passe)
    url = "/agents/crm/sollicitations/nouvelle/"
    plus_tard = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(plus_tard, tick=False):
        reponse = client.post(
            url,
            {"nom": "Claire Martin", "email": "claire@pme.fr", "message": "Trois pages de notes…",
             "mot_de_passe": "secret", "csrfmiddlewaretoken": "x"},
        )  # fmt: skip
        assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")
        client.post("/connexion/?next=" + url, {"username": agent.email, "password": mot_de_passe, "next": url})
        reponse = client.post("/connexion/second-facteur/?next=" + url, {"code": code_totp(agent), "next": url})
        assert reponse.url == url
        page = client.get(url).content.decode()
    assert "ce que vous aviez saisi a été remis dans le formulaire" in page
    bloc = re.search(r'<script id="saisie-reprise" type="application/json">(.*?)</script>', page, re.S).group(1)
    donnees = json.loads(bloc)
    assert donnees["nom"] == ["Claire Martin"] and donnees["message"] == ["Trois pages de notes…"]
    assert "mot_de_passe" not in donnees and "csrfmiddlewaretoken" not in donnees
    # Offered once only.
    with time_machine.travel(plus_tard, tick=False):
        assert "saisie-reprise" not in client.get(url).content.decode()


def test_logged_in_pages_carry_the_session_limits_for_the_warning_script(client, agent, mot_de_passe, settings):
    _connecter(client, agent, mot_de_passe)
    page = client.get("/agents/").content.decode()
    assert f'data-session-inactivite="{settings.SESSION_COOKIE_AGE}"' in page
    assert 'data-session-fin="' in page and "js/session.js" in page and 'id="session-avertissement"' in page
    etat = client.get("/session/etat/").json()
    assert etat["connecte"] and 0 < etat["reste_absolu"] <= settings.SESSION_ABSOLUE_HEURES * 3600
    client.logout()
    assert client.get("/session/etat/").status_code == 401
    assert "js/session.js" not in client.get("/").content.decode()
