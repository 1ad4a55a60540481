"""The open API's pages: a bounded number of queries whatever their size, and each aid's JSON kept
in the shared cache under the catalogue's generation, so that a publication shows at once."""

import pytest

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.services import dispositif as services
from aides.catalogue.tests.factories import DispositifFactory
from territoires.models import EPCI

pytestmark = pytest.mark.django_db

API = "/api/v1/aides/"


def resultats(reponse) -> dict[str, dict]:
    assert reponse.status_code == 200
    return {aide["slug"]: aide for aide in reponse.json()["results"]}


# Not « page »: that name is Playwright's fixture, and a parameter named so would pull the browser
# fixtures in and make pytest move the browser tests (which empty the tables) before other tests.
@pytest.mark.parametrize(
    ("nombre", "par_page", "numero", "attendus"), [(3, 1, 2, 1), (3, 100, 1, 3), (120, 100, 2, 20)]
)
def test_a_page_runs_two_queries_whatever_its_size_and_the_volume(
    client, django_assert_max_num_queries, nombre, par_page, numero, attendus
):
    epci = EPCI.objects.get(communes__code_insee="80021")
    DispositifFactory.create_batch(nombre, couvre_region=False, departements=["80", "59"], epcis=[epci])
    parametres = {"q": "dispositif", "par_page": par_page, "page": numero}

    with django_assert_max_num_queries(2):  # the count, the page with its direction and territories
        premiere = client.get(API, parametres)
    with django_assert_max_num_queries(2):  # the same once each aid's JSON is in the cache
        seconde = client.get(API, parametres)

    assert len(resultats(premiere)) == attendus
    assert seconde.content == premiere.content


def test_the_cached_page_is_byte_for_byte_the_page_built_without_cache(client, settings):
    DispositifFactory.create_batch(4, description="## Objet\n\nExporter *plus* loin & [ailleurs](https://exemple.fr).")
    construite = client.get(API, {"par_page": 3, "page": 2}, HTTP_HOST="localhost")
    gardee = client.get(API, {"par_page": 3, "page": 2}, HTTP_HOST="localhost")
    settings.CATALOGUE_CACHE_FACETTES_SECONDES = 0  # no generation: nothing read from nor kept in the cache
    sans_cache = client.get(API, {"par_page": 3, "page": 2}, HTTP_HOST="localhost")

    assert construite.content == gardee.content == sans_cache.content
    assert construite["ETag"] == gardee["ETag"] == sans_cache["ETag"]
    assert resultats(gardee)  # a page with aids, not an empty one


def test_each_host_gets_its_own_absolute_addresses(client):
    DispositifFactory(nom="Aide export")
    assert resultats(client.get(API))["aide-export"]["url"] == "http://testserver/aides/aide-export/"
    ailleurs = resultats(client.get(API, HTTP_HOST="localhost"))["aide-export"]
    assert ailleurs["url"] == "http://localhost/aides/aide-export/"


def test_publishing_a_dispositif_drops_the_aids_kept_in_the_cache(client):
    listee = DispositifFactory(nom="Aide export", description="Ancienne description.")
    brouillon = DispositifFactory(nom="Aide nouvelle", statut=Dispositif.Statut.BROUILLON)
    assert resultats(client.get(API))["aide-export"]["description_texte"] == "Ancienne description."
    # A bulk update sends no signal and keeps modifie_le: the aid's JSON is read from the cache.
    Dispositif.objects.filter(pk=listee.pk).update(description="Nouvelle description.")
    assert resultats(client.get(API))["aide-export"]["description_texte"] == "Ancienne description."

    services.dispositif_publier(dispositif=brouillon, par=None)

    apres = resultats(client.get(API))
    assert apres["aide-export"]["description_texte"] == "Nouvelle description."
    assert "aide-nouvelle" in apres


def test_a_change_of_coverage_shows_at_once(client):
    aide = DispositifFactory(nom="Aide export", couvre_region=False, departements=["80"])
    assert resultats(client.get(API))["aide-export"]["perimetre"]["departements"] == ["80"]

    aide.departements.add("59")  # the aid's row is unchanged: the catalogue's generation is new

    assert resultats(client.get(API))["aide-export"]["perimetre"]["departements"] == ["59", "80"]


def test_a_change_of_direction_shows_at_once(client):
    aide = DispositifFactory(nom="Aide export")
    assert resultats(client.get(API))["aide-export"]["contact"]["email"] == aide.direction.email_partage

    aide.direction.email_partage = "export@hautsdefrance.fr"
    aide.direction.save()  # saving a direction does not change the catalogue's generation

    assert resultats(client.get(API))["aide-export"]["contact"]["email"] == "export@hautsdefrance.fr"
