"""A NUL byte anywhere in a request is a 400 (never a 500) on every route of the URL table."""

import re

import pytest
from django.urls import URLResolver, get_resolver

from portal.tests.factories import UserFactory

PARAMETRE = re.compile(r"<(?:[^>:]+:)?([^>]+)>|\(\?P<([^>]+)>[^)]*\)")


def routes(resolveur=None, prefixe: str = ""):
    """Every URL pattern as its full route text (`agents/crm/entreprises/<str:siren>/`)."""
    for motif in (resolveur or get_resolver()).url_patterns:
        texte = prefixe + str(motif.pattern).lstrip("^").rstrip("$")
        if isinstance(motif, URLResolver):
            yield from routes(motif, texte)
        else:
            yield texte


def chemins_avec_nul(route: str) -> list[str]:
    """The route with each of its parameters in turn holding a NUL (the others a plausible value)."""
    parametres = list(PARAMETRE.finditer(route))
    chemins = []
    for cible in parametres:
        morceaux, fin = [], 0
        for p in parametres:
            morceaux += [route[fin : p.start()], "x%00y" if p is cible else "1"]
            fin = p.end()
        chemins.append("/" + "".join(morceaux) + route[fin:])
    return chemins


ROUTES = sorted(set(routes()))
AVEC_PARAMETRES = [chemin for route in ROUTES for chemin in chemins_avec_nul(route)]
SANS_PARAMETRE = ["/" + route for route in ROUTES if not PARAMETRE.search(route)]


@pytest.fixture
def clients(client, db):
    from django.test import Client

    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    return {"anonyme": client, "administrateur": admin}


def test_the_walk_covers_the_url_table():
    assert len(AVEC_PARAMETRES) > 100 and "/territoires/x%00y/contacts/" in AVEC_PARAMETRES
    assert "/agents/crm/entreprises/x%00y/" in AVEC_PARAMETRES


@pytest.mark.django_db
def test_a_nul_in_any_path_parameter_is_a_400_for_anyone(clients):
    for qui, client in clients.items():
        for chemin in AVEC_PARAMETRES:
            for methode in (client.get, client.post):
                reponse = methode(chemin)
                assert reponse.status_code == 400, (qui, methode.__name__, chemin, reponse.status_code)
    assert "caractère interdit" in clients["anonyme"].get("/territoires/%00/contacts/").content.decode()


@pytest.mark.django_db
def test_a_nul_in_the_query_string_or_a_form_field_is_a_400_on_every_route(clients):
    client = clients["administrateur"]
    for chemin in SANS_PARAMETRE:
        assert client.get(chemin, {"q": "a\x00b", "page": "1"}).status_code == 400, chemin
        assert client.get(chemin + "?x%00=1").status_code == 400, chemin
        assert client.post(chemin, {"q": "a\x00b"}).status_code == 400, chemin
    assert clients["anonyme"].post("/contact/", {"nom": "\x00"}).status_code == 400


@pytest.mark.django_db
def test_a_request_without_nul_is_untouched(client):
    assert client.get("/aides/", {"q": "numérique"}).status_code == 200
