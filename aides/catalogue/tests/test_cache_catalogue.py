"""What the catalogue search keeps between requests (the commune typed, the page's cards and facet
panel) follows a publication or a reload of the communes at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aides.catalogue.referentiels import Thematique
from aides.catalogue.selectors import catalogue_generation
from aides.catalogue.tests.factories import DispositifFactory
from territoires.chargement import territoires_charger
from territoires.models import EPCI, Commune

pytestmark = pytest.mark.django_db

URL = "/aides/?q=export&commune=80021"


def noms(reponse) -> list[str]:
    assert reponse.status_code == 200
    return [d.nom for d in reponse.context["catalogue"].dispositifs]


@pytest.fixture
def epci_de_lille():
    return EPCI.objects.get(communes__code_insee="59350")


def test_a_search_made_again_does_not_look_the_commune_up_again(client):
    DispositifFactory(nom="Aide à l'export", thematiques=[Thematique.EXPORT_ATTRACTIVITE])
    premiere = client.get(URL)

    with CaptureQueriesContext(connection) as requetes:
        seconde = client.get(URL)

    assert len(requetes) == 0  # the commune, the counts, the rows, the cards and the panel are kept
    assert seconde.context["filtres"].commune_choisie.code_insee == "80021"
    assert seconde.content == premiere.content


def test_the_same_commune_typed_by_name_is_remembered_too(client):
    DispositifFactory(nom="Aide à l'export")
    client.get("/aides/", {"q": "export", "commune": "Amiens"})

    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get("/aides/", {"q": "export", "commune": "Amiens"})

    assert len(requetes) == 0
    assert noms(reponse) == ["Aide à l'export"]


def test_reloading_the_communes_changes_the_answer_at_once(client, epci_de_lille, django_capture_on_commit_callbacks):
    DispositifFactory(nom="Export métropole lilloise", couvre_region=False, epcis=[epci_de_lille])
    DispositifFactory(nom="Export régional")
    # Amiens wrongly placed in Lille's EPCI: the search remembers it (commune, counts, page).
    Commune.objects.filter(code_insee="80021").update(epci=epci_de_lille)
    assert noms(client.get(URL)) == ["Export métropole lilloise", "Export régional"]
    assert noms(client.get(URL)) == ["Export métropole lilloise", "Export régional"]
    avant = catalogue_generation()

    with django_capture_on_commit_callbacks(execute=True):
        territoires_charger()  # puts Amiens back in Amiens Métropole

    assert catalogue_generation() != avant
    reponse = client.get(URL)
    assert noms(reponse) == ["Export régional"]
    assert reponse.context["filtres"].commune_choisie.epci_id != epci_de_lille.pk


def test_a_published_dispositif_shows_at_once_on_a_page_already_served(client):
    DispositifFactory(nom="Export B")
    assert "Export B" in client.get(URL).content.decode()

    DispositifFactory(nom="Export A")

    reponse = client.get(URL)
    assert noms(reponse) == ["Export A", "Export B"]
    contenu = reponse.content.decode()
    assert "Export A" in contenu and contenu.index("Export A") < contenu.index("Export B")


def test_a_withdrawn_dispositif_leaves_a_page_already_served_at_once(client):
    DispositifFactory(nom="Export A")
    retire = DispositifFactory(nom="Export B")
    assert "Export B" in client.get(URL).content.decode()

    retire.statut = retire.Statut.ARCHIVE
    retire.save()

    reponse = client.get(URL)
    assert noms(reponse) == ["Export A"]
    assert "Export B" not in reponse.content.decode()


def test_without_the_shared_cache_the_commune_is_looked_up_each_time(client, settings):
    settings.CATALOGUE_CACHE_FACETTES_SECONDES = 0
    DispositifFactory(nom="Aide à l'export")
    client.get(URL)

    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(URL)

    assert any("territoires_commune" in requete["sql"] for requete in requetes.captured_queries)
    assert noms(reponse) == ["Aide à l'export"]


def test_the_suggestions_for_a_commune_not_found_stay_with_that_search(client):
    DispositifFactory(nom="Aide à l'export")
    # « Saint-Quentin » ends several names: suggested, not chosen.
    douteuse = client.get("/aides/", {"q": "export", "commune": "Saint-Quen"})
    assert douteuse.context["suggestions_commune"]

    reponse = client.get(URL)

    assert reponse.context["suggestions_commune"] == []
    assert "Vouliez-vous dire" not in reponse.content.decode()
    assert noms(reponse) == ["Aide à l'export"]


def test_a_page_served_again_still_says_which_results_it_shows(client):
    for i in range(25):
        DispositifFactory(nom=f"Export {i:02d}")
    for _ in range(2):
        reponse = client.get(URL + "&page=2")
        assert "25 aides trouvées, 21 à 25 affichées" in " ".join(reponse.content.decode().split())
        assert noms(reponse) == [f"Export {i:02d}" for i in range(20, 25)]
