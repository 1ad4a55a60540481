"""Open data: GET /api/v1/aides/ (JSON, paginated, same filters as the catalogue)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Thematique
from aides.catalogue.tests.factories import DispositifFactory
from territoires.models import EPCI

pytestmark = pytest.mark.django_db

CHAMPS = {
    "slug",
    "nom",
    "resume",
    "url",
    "thematiques",
    "nature",
    "publics",
    "stades",
    "effectif_min",
    "effectif_max",
    "montant_min",
    "montant_max",
    "taux_max",
    "regime",
    "eligible_feder",
    "couverture",
    "direction",
    "operateur",
    "date_ouverture",
    "date_cloture",
    "ouvert",
    "modifie_le",
    # Added in v1.1 (the fields above are kept as they were)
    "description_html",
    "description_texte",
    "eligibilite",
    "documents_requis",
    "depot",
    "contact",
    "dates",
    "financeurs",
    "instructeurs",
    "perimetre",
    "date_modification",
}


def slugs(reponse) -> list[str]:
    return [r["slug"] for r in reponse.json()["results"]]


def test_the_api_lists_published_aids_with_stable_field_names(client):
    epci = EPCI.objects.get(communes__code_insee="80021")
    DispositifFactory(
        nom="Pass export",
        slug="pass-export",
        thematiques=[Thematique.EXPORT_ATTRACTIVITE],
        montant_min=Decimal("5000"),
        montant_max=Decimal("150000.50"),
        taux_max=Decimal("50"),
        effectif_max=249,
        date_ouverture=date(2026, 1, 1),
        date_cloture=date(2099, 12, 31),
        couvre_region=False,
        departements=["80", "02"],
        epcis=[epci],
    )
    DispositifFactory(slug="brouillon", statut=Dispositif.Statut.BROUILLON)
    reponse = client.get("/api/v1/aides/")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json"
    assert reponse["Access-Control-Allow-Origin"] == "*"
    donnees = reponse.json()
    assert (donnees["count"], donnees["page"], donnees["pages"], donnees["next"], donnees["previous"]) == (
        1,
        1,
        1,
        None,
        None,
    )
    [aide] = donnees["results"]
    assert set(aide) == CHAMPS
    assert aide["slug"] == "pass-export"
    assert aide["url"] == "http://testserver/aides/pass-export/"
    assert aide["thematiques"] == ["export-attractivite"]
    assert aide["nature"] == "subvention"
    assert (aide["montant_min"], aide["montant_max"], aide["taux_max"]) == ("5000.00", "150000.50", "50.00")
    assert (aide["effectif_min"], aide["effectif_max"]) == (None, 249)
    assert aide["couverture"] == {"region": False, "departements": ["02", "80"], "epcis": [epci.siren]}
    assert aide["direction"] == "DAEN"
    assert aide["operateur"] == "region"
    assert (aide["date_ouverture"], aide["date_cloture"]) == ("2026-01-01", "2099-12-31")
    assert aide["ouvert"] is True
    assert aide["modifie_le"].startswith(str(timezone.now().year))


def test_the_api_applies_the_same_filters_and_text_query_as_the_catalogue(client):
    DispositifFactory(slug="export-somme", nom="Pass export", couvre_region=False, departements=["80"])
    DispositifFactory(slug="export-nord", nom="Prêt export", couvre_region=False, departements=["59"], nature="pret")
    DispositifFactory(slug="numerique", nom="Chèque numérique", thematiques=[Thematique.NUMERIQUE])
    DispositifFactory(slug="clos", nom="Export clos", date_cloture=timezone.localdate() - timedelta(days=1))
    assert slugs(client.get("/api/v1/aides/", {"q": "exporter"})) == ["export-somme", "export-nord"]
    assert slugs(client.get("/api/v1/aides/", {"q": "export", "commune": "80021"})) == ["export-somme"]
    assert slugs(client.get("/api/v1/aides/", {"nature": "pret"})) == ["export-nord"]
    assert slugs(client.get("/api/v1/aides/", {"thematique": "numerique"})) == ["numerique"]
    assert slugs(client.get("/api/v1/aides/", {"q": "numerique"})) == ["numerique"]
    assert "clos" in slugs(client.get("/api/v1/aides/", {"q": "export", "clos": "1"}))


def test_the_api_paginates_with_absolute_next_and_previous_links(client):
    DispositifFactory.create_batch(5, nature=Nature.PRET)
    premiere = client.get("/api/v1/aides/", {"nature": "pret", "par_page": 2}).json()
    assert (premiere["count"], premiere["pages"], len(premiere["results"])) == (5, 3, 2)
    assert premiere["previous"] is None
    assert premiere["next"] == "http://testserver/api/v1/aides/?nature=pret&par_page=2&page=2"
    derniere = client.get("/api/v1/aides/", {"nature": "pret", "par_page": 2, "page": 3}).json()
    assert len(derniere["results"]) == 1
    assert derniere["next"] is None
    assert derniere["previous"] == "http://testserver/api/v1/aides/?nature=pret&par_page=2&page=2"
    vus = set()
    for numero in (1, 2, 3):
        vus |= set(slugs(client.get("/api/v1/aides/", {"nature": "pret", "par_page": 2, "page": numero})))
    assert len(vus) == 5


def test_a_page_past_the_end_is_a_json_404(client):
    DispositifFactory()
    reponse = client.get("/api/v1/aides/", {"page": 2})
    assert reponse.status_code == 404
    assert reponse.json()["erreur"] == "Page 2 inexistante : cette recherche compte 1 page(s)."


@pytest.mark.parametrize("numero", ["0", "-1", "abc"])
def test_a_page_that_is_not_a_positive_number_is_a_json_400(client, numero):
    reponse = client.get("/api/v1/aides/", {"page": numero})
    assert reponse.status_code == 400
    assert "page" in reponse.json()["erreur"]


def test_an_invalid_filter_value_is_a_json_400_in_french(client):
    reponse = client.get("/api/v1/aides/", {"thematique": "pizza", "commune": "Paris"})
    assert reponse.status_code == 400
    donnees = reponse.json()
    assert donnees["erreur"] == "Paramètre de recherche invalide."
    assert donnees["erreurs"]["thematique"] == [
        "« pizza » n'est pas une thématique proposée. Choisissez dans la liste."
    ]
    assert "Aucune commune des Hauts-de-France" in donnees["erreurs"]["commune"][0]


@pytest.mark.parametrize("par_page", ["0", "101", "x"])
def test_an_invalid_page_size_is_a_json_400(client, par_page):
    reponse = client.get("/api/v1/aides/", {"par_page": par_page})
    assert reponse.status_code == 400
    assert "par_page" in reponse.json()["erreurs"]


def test_the_api_runs_the_same_number_of_queries_for_5_and_30_results(client):
    epci = EPCI.objects.get(communes__code_insee="80021")

    def requetes_pour(nombre: int) -> int:
        Dispositif.objects.all().delete()
        DispositifFactory.create_batch(nombre, couvre_region=False, departements=["80", "59"], epcis=[epci])
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get("/api/v1/aides/", {"q": "dispositif", "commune": "80021"})
        assert reponse.json()["count"] == nombre
        return len(requetes)

    assert requetes_pour(5) == requetes_pour(30) <= 3  # commune, count, page
