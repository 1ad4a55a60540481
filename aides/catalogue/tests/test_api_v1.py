"""The complete open API v1: new fields, OpenAPI schema, incremental imports, conditional GET, rate limit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Operateur
from aides.catalogue.tests.factories import DispositifFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/aides/"


def test_the_schema_is_valid_openapi_3(client):
    reponse = client.get(reverse("aides:api-schema"))
    assert reponse.status_code == 200
    validate(reponse.json())


def test_every_result_matches_the_schema_and_every_schema_field_is_in_the_results(client):
    DispositifFactory(
        nom="Prêt réseau",
        description="## Objet\n\nFinancer **le départ**.<script>alert(1)</script>",
        operateur=Operateur.PARTENAIRE,
        operateur_nom="Réseau Entreprendre",
        modalite_depot=Dispositif.ModaliteDepot.EXTERNE,
        url_depot_externe="https://operateur.example.org/depot",
        couvre_region=False,
        departements=["80"],
        eligible_feder=True,
        documents_requis=["Kbis", "RIB"],
        naf_exclus=["A"],
    )
    DispositifFactory(nom="Aide directe")
    schema = client.get(reverse("aides:api-schema")).json()
    validateur = OAS30Validator({**schema["components"]["schemas"]["PageAides"], "components": schema["components"]})
    corps = client.get(API).json()
    validateur.validate(corps)
    assert set(corps["results"][0]) == set(schema["components"]["schemas"]["Aide"]["properties"])


def test_the_new_fields_carry_what_an_import_needs(client):
    DispositifFactory(
        nom="Prêt réseau",
        slug="pret-reseau",
        description="## Objet\n\nFinancer **le départ** & plus.<script>alert(1)</script>",
        operateur=Operateur.PARTENAIRE,
        operateur_nom="Réseau Entreprendre",
        modalite_depot=Dispositif.ModaliteDepot.EXTERNE,
        url_depot_externe="https://operateur.example.org/depot",
        couvre_region=False,
        departements=["80"],
        eligible_feder=True,
        documents_requis=["Kbis", "RIB"],
    )
    DispositifFactory(nom="Aide directe", slug="aide-directe")
    aides = {a["slug"]: a for a in client.get(API).json()["results"]}
    reseau, directe = aides["pret-reseau"], aides["aide-directe"]
    assert "<strong>le départ</strong>" in reseau["description_html"] and "<script" not in reseau["description_html"]
    assert reseau["description_texte"].startswith("Objet") and "le départ & plus" in reseau["description_texte"]
    assert reseau["depot"] == {"modalite": "externe", "url": "https://operateur.example.org/depot"}
    assert directe["depot"] == {
        "modalite": "portail",
        "url": "http://testserver/espace/demandes/nouvelle/aide-directe/",
    }
    assert reseau["documents_requis"] == ["Kbis", "RIB"]
    assert reseau["perimetre"] == {"region": None, "departements": ["80"], "epcis": [], "communes": []}
    assert directe["perimetre"]["region"] == "32"
    assert [f["type"] for f in reseau["financeurs"]] == ["region", "europe"]
    assert reseau["instructeurs"] == [{"nom": "Réseau Entreprendre", "type": "partenaire"}]
    assert reseau["contact"]["direction"] == "DAEN" and set(reseau["contact"]) == {
        "direction",
        "direction_nom",
        "email",
        "operateur",
    }
    assert reseau["date_modification"] == reseau["modifie_le"]


def test_an_incremental_import_with_modifie_depuis_returns_only_changed_aids(client):
    ancienne = DispositifFactory(nom="Ancienne")
    recente = DispositifFactory(nom="Récente")
    Dispositif.objects.filter(pk=ancienne.pk).update(modifie_le=timezone.now() - timedelta(days=10))
    Dispositif.objects.filter(pk=recente.pk).update(modifie_le=timezone.now() - timedelta(days=1))
    depuis = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert [a["slug"] for a in client.get(API, {"modifie_depuis": depuis}).json()["results"]] == [recente.slug]
    instant = (timezone.now() - timedelta(days=2)).isoformat()
    assert [a["slug"] for a in client.get(API, {"modifie_depuis": instant}).json()["results"]] == [recente.slug]


def test_a_bad_modifie_depuis_is_a_french_400(client):
    reponse = client.get(API, {"modifie_depuis": "hier"})
    assert reponse.status_code == 400 and "modifie_depuis" in reponse.json()["erreurs"]


def test_a_conditional_get_gets_a_304_until_something_changes(client):
    dispositif = DispositifFactory()
    premiere = client.get(API)
    etag, derniere = premiere["ETag"], premiere["Last-Modified"]
    assert client.get(API, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(API, HTTP_IF_MODIFIED_SINCE=derniere).status_code == 304
    Dispositif.objects.filter(pk=dispositif.pk).update(
        nom="Nouveau nom", modifie_le=timezone.now() + timedelta(seconds=5)
    )
    apres = client.get(API, HTTP_IF_NONE_MATCH=etag)
    assert apres.status_code == 200 and apres["ETag"] != etag


def test_the_api_is_rate_limited_per_address_with_a_french_429(client, settings):
    settings.LIMITES = {**settings.LIMITES, "api": "3,0,60"}
    for _ in range(3):
        assert client.get(API).status_code == 200
    reponse = client.get(API)
    assert reponse.status_code == 429 and int(reponse["Retry-After"]) >= 1
    assert "Trop de requêtes" in reponse.json()["erreur"]
    assert client.get(API, REMOTE_ADDR="10.0.0.2").status_code == 200  # another address is not held back


def test_the_api_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for i in range(30):
        DispositifFactory(nom=f"Aide {i}", departements=["80"], couvre_region=False)
    with django_assert_max_num_queries(4):
        assert len(client.get(API, {"par_page": 30}).json()["results"]) == 30


def test_the_documentation_page_is_served_without_script(client):
    reponse = client.get(reverse("aides:api-documentation"))
    html = reponse.content.decode()
    assert reponse.status_code == 200 and "modifie_depuis" in html and "description_html" in html
    assert "swagger" not in html.lower()
