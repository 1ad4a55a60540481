"""The client's address, read one way everywhere: forged headers are ignored, proxies counted."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from portal.reseau import adresse_client


def requete(**meta):
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize("entete", [None, "6.6.6.6", "6.6.6.6, 198.51.100.9", "pas une adresse"])
def test_without_trusted_proxy_a_forged_forwarded_for_is_ignored(settings, entete):
    settings.PROXY_COUNT = 0
    meta = {"REMOTE_ADDR": "203.0.113.5"}
    if entete:
        meta["HTTP_X_FORWARDED_FOR"] = entete

    assert adresse_client(requete(**meta)) == "203.0.113.5"


@pytest.mark.parametrize(
    ("nombre", "entete", "attendu"),
    [
        (1, "198.51.100.9", "198.51.100.9"),  # the proxy wrote the client's address
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # the client forged the left part
        (2, "6.6.6.6, 198.51.100.9, 10.0.0.7", "198.51.100.9"),  # two proxies: the second wrote the first's
        (2, "198.51.100.9", "10.0.0.1"),  # not through both proxies: the peer's address
        (1, "pas une adresse", "10.0.0.1"),
        (1, None, "10.0.0.1"),
    ],
)
def test_behind_trusted_proxies_the_client_is_the_address_the_outermost_one_saw(settings, nombre, entete, attendu):
    settings.PROXY_COUNT = nombre
    meta = {"REMOTE_ADDR": "10.0.0.1"}
    if entete:
        meta["HTTP_X_FORWARDED_FOR"] = entete

    assert adresse_client(requete(**meta)) == attendu


@pytest.mark.django_db
def test_login_throttling_counts_the_client_behind_the_proxy(client, settings, utilisateur_entreprise, mot_de_passe):
    settings.PROXY_COUNT = 1

    def se_connecter(adresse, mdp):
        return client.post(
            "/connexion/",
            {"username": utilisateur_entreprise.email, "password": mdp},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=adresse,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        se_connecter("198.51.100.9", "mauvais")

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}
    assert se_connecter("198.51.100.9", mot_de_passe).status_code == 429
    # The proxy's address is not locked: another client behind it logs in.
    assert se_connecter("192.0.2.44", mot_de_passe).status_code == 302


@pytest.mark.django_db
def test_without_trusted_proxy_forging_the_header_does_not_escape_the_lock(
    client, settings, utilisateur_entreprise, mot_de_passe
):
    settings.PROXY_COUNT = 0
    for numero in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/connexion/",
            {"username": utilisateur_entreprise.email, "password": "mauvais"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{numero}",
        )

    reponse = client.post(
        "/connexion/",
        {"username": utilisateur_entreprise.email, "password": mot_de_passe},
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert reponse.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_nothing_else_reads_remote_addr_or_forwarded_for():
    """One way everywhere: the code reads the client's address only through portal.reseau."""
    from pathlib import Path

    racine = Path(__file__).resolve().parents[2]
    lecteurs = [
        str(chemin.relative_to(racine))
        for dossier in ("portal", "aides", "crm", "territoires", "parcours")
        for chemin in (racine / dossier).rglob("*.py")
        if "tests" not in chemin.parts
        and chemin.name != "reseau.py"
        and ("REMOTE_ADDR" in chemin.read_text() or "X_FORWARDED_FOR" in chemin.read_text())
    ]
    assert lecteurs == []
