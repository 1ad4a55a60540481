"""Abuse limits per address and for the whole site, counted in Redis: password spraying, the
signature's password oracle, public forms that write, send emails or render PDFs; honeypot."""

import pytest
import redis
from django.conf import settings as reglages
from django.test import Client
from django.urls import reverse

from crm.models import Sollicitation
from portal.limites import limite_compter
from portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CONTACT = {"nom": "Claire Martin", "email": "claire@pme.fr", "commune": "Amiens", "besoin": "innover",
           "message": "Un prototype", "consentement": "on"}  # fmt: skip


def depuis(adresse: str) -> Client:
    return Client(REMOTE_ADDR=adresse)


def test_password_spraying_from_one_address_is_blocked_across_accounts(settings, mot_de_passe):
    settings.LIMITES = {**settings.LIMITES, "connexion": "10,0,900"}
    comptes = [UserFactory() for _ in range(40)]
    pirate = depuis("203.0.113.7")
    statuts = [
        pirate.post("/connexion/", {"username": c.email, "password": "Printemps2026!"}).status_code for c in comptes
    ]
    assert statuts[:10] == [200] * 10  # wrong password, French message
    assert set(statuts[10:]) == {429}
    # Even the right password of an untouched account is refused from that address for now...
    reponse = pirate.post("/connexion/", {"username": comptes[-1].email, "password": mot_de_passe})
    assert reponse.status_code == 429 and "Trop de demandes" in reponse.content.decode()
    assert int(reponse["Retry-After"]) > 0
    # ...while the same person from another address logs in.
    assert depuis("198.51.100.2").post("/connexion/", {"username": comptes[-1].email, "password": mot_de_passe})[
        "Location"
    ] == reverse("accueil-apres-connexion")


def test_the_convention_signature_password_is_not_an_oracle(settings, tmp_path, mot_de_passe):
    from aides.conventions.services import convention as sc
    from aides.conventions.tests.factories import convention_envoyee
    from aides.models import Etape

    settings.MEDIA_ROOT = tmp_path
    settings.LIMITES = {**settings.LIMITES, "signature": "5,0,900"}
    convention = convention_envoyee()
    url = reverse("espace:convention-signer", args=[convention.pk])
    version = sc.version_courante(convention).pk
    client = depuis("203.0.113.8")
    client.force_login(convention.demande.demandeur)
    statuts = [
        client.post(url, {"version": version, "mot_de_passe": f"essai-{i}", "je_signe": "on"}).status_code
        for i in range(8)
    ]
    assert statuts == [400] * 5 + [429] * 3
    # The right password too is refused until the window ends: the form tells nothing more.
    assert client.post(url, {"version": version, "mot_de_passe": mot_de_passe, "je_signe": "on"}).status_code == 429
    # Per account, not only per address.
    ailleurs = depuis("198.51.100.3")
    ailleurs.force_login(convention.demande.demandeur)
    assert ailleurs.post(url, {"version": version, "mot_de_passe": mot_de_passe, "je_signe": "on"}).status_code == 429
    convention.refresh_from_db()
    assert convention.etape == Etape.ENVOYEE


def test_the_right_signature_password_works_below_the_limit(settings, tmp_path, mot_de_passe):
    from aides.conventions.services import convention as sc
    from aides.conventions.tests.factories import convention_envoyee
    from aides.models import Etape

    settings.MEDIA_ROOT = tmp_path
    convention = convention_envoyee()
    client = depuis("203.0.113.9")
    client.force_login(convention.demande.demandeur)
    url = reverse("espace:convention-signer", args=[convention.pk])
    version = sc.version_courante(convention).pk
    assert client.post(url, {"version": version, "mot_de_passe": "non", "je_signe": "on"}).status_code == 400
    assert client.post(url, {"version": version, "mot_de_passe": mot_de_passe, "je_signe": "on"}).status_code == 302
    convention.refresh_from_db()
    assert convention.etape == Etape.SIGNEE_BENEFICIAIRE


def test_etre_contacte_is_limited_per_address_with_a_french_429(settings):
    settings.LIMITES = {**settings.LIMITES, "contact": "5,200,3600"}
    client = depuis("203.0.113.10")
    statuts = [client.post(reverse("crm:contact"), CONTACT).status_code for _ in range(7)]
    assert statuts == [302] * 5 + [429] * 2
    assert Sollicitation.objects.count() == 5
    reponse = client.post(reverse("crm:contact"), CONTACT)
    contenu = reponse.content.decode()
    assert "Trop de demandes" in contenu and "Réessayez dans" in contenu
    assert depuis("198.51.100.4").post(reverse("crm:contact"), CONTACT).status_code == 302


def test_public_forms_are_limited_globally_whatever_the_address(settings):
    settings.LIMITES = {**settings.LIMITES, "contact": "5,3,3600"}
    statuts = [depuis(f"203.0.113.{20 + i}").post(reverse("crm:contact"), CONTACT).status_code for i in range(5)]
    assert statuts == [302, 302, 302, 429, 429]


def test_a_filled_honeypot_is_refused_and_nothing_is_created(client):
    page = client.get(reverse("crm:contact")).content.decode()
    assert 'name="site_internet"' in page and 'tabindex="-1"' in page
    reponse = client.post(reverse("crm:contact"), {**CONTACT, "site_internet": "http://spam.example"})
    assert reponse.status_code == 400 and "robots" in reponse.content.decode()
    assert not Sollicitation.objects.exists()


@pytest.mark.parametrize(
    ("nom", "url", "donnees"),
    [
        ("parcours_pdf", "/parcours/synthese/", {"profil": "commune=80021"}),
        ("mdp_oublie", "/mot-de-passe/oublie/", {"email": "personne@example.org"}),
        ("inscription", "/espace/inscription/", {}),
        ("parcours_contact", "/parcours/contact/?commune=80021", {}),
    ],
)
def test_other_public_endpoints_are_limited_too_and_carry_the_honeypot(settings, nom, url, donnees):
    settings.LIMITES = {**settings.LIMITES, nom: "2,100,600"}
    client = depuis("203.0.113.30")
    statuts = [client.post(url, donnees).status_code for _ in range(3)]
    assert 429 not in statuts[:2] and statuts[2] == 429
    assert client.post(url, {**donnees, "site_internet": "x"}).status_code == 400


def test_the_counters_live_in_the_redis_shared_by_every_web_node(settings):
    from django.core.cache.backends.redis import RedisCache
    from django.utils.module_loading import import_string

    assert issubclass(import_string(reglages.CACHES["default"]["BACKEND"]), RedisCache)
    settings.LIMITES = {**settings.LIMITES, "contact": "2,0,600"}
    cles = {"adresse": "192.0.2.99"}
    assert [limite_compter("contact", cles=cles) for _ in range(3)] == [False, False, True]
    brut = redis.Redis.from_url(reglages.CACHES["default"]["LOCATION"])
    assert any(settings.LIMITES_PREFIXE.encode() in cle for cle in brut.scan_iter("*limite*"))


def test_a_cache_down_lets_the_request_through(settings):
    settings.CACHES = {
        **settings.CACHES,
        "mort": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.LIMITES_CACHE = "mort"
    settings.LIMITES = {**settings.LIMITES, "contact": "1,1,600"}
    client = depuis("203.0.113.40")
    assert [client.post(reverse("crm:contact"), CONTACT).status_code for _ in range(3)] == [302] * 3
