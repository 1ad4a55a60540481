import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/accessibilite/", "/mentions-legales/", "/donnees-personnelles/", "/connexion/"])
def test_public_pages_answer_in_french(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert '<html lang="fr"' in reponse.content.decode()


def test_footer_states_accessibility_non_conformity(client):
    assert "Accessibilité : non conforme" in client.get("/").content.decode()


def test_accessibility_statement_has_the_rgaa_sections(client):
    page = client.get("/accessibilite/").content.decode()
    for section in [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d'information et contact",
        "Voies de recours",
    ]:
        assert section in page


def test_unknown_page_gives_a_french_404(client):
    reponse = client.get("/cette-page-n-existe-pas/")
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()


def test_security_headers(client):
    reponse = client.get("/")
    csp = reponse.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "default-src 'self'" in csp
    assert reponse.headers["X-Frame-Options"] == "DENY"
    assert reponse.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.urls("portal.tests.urls_erreur")
def test_a_server_error_shows_the_french_500_page(client, settings):
    assert settings.DEBUG is False
    client.raise_request_exception = False

    reponse = client.get("/panne/")

    assert reponse.status_code == 500
    page = reponse.content.decode()
    assert '<html lang="fr"' in page
    assert "<h1>Erreur du serveur</h1>" in page
    assert "panne simulée" not in page


def test_a_bad_request_gives_the_french_400_page(client):
    reponse = client.get("/", HTTP_HOST="site-inconnu.example.com")

    assert reponse.status_code == 400
    assert "Requête incorrecte" in reponse.content.decode()


def test_a_form_posted_without_its_csrf_token_gets_a_french_page(db):
    from django.test import Client

    reponse = Client(enforce_csrf_checks=True).post("/connexion/", {"username": "a@b.fr", "password": "x"})
    assert reponse.status_code == 403
    assert "Formulaire expiré" in reponse.content.decode()
