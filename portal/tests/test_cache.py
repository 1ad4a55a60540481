"""The shared cache (Redis): catalogue facet counts and pages, the parcours catalogue; invalidated
on every node when a dispositif changes; Redis down reads as a miss."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aides.catalogue.referentiels import Thematique
from aides.catalogue.tests.factories import DispositifFactory
from aides.models import Dispositif
from portal.cache import generation

pytestmark = pytest.mark.django_db

URL = "/aides/?q=export&thematique=export-attractivite"


def total(client, url=URL) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
    assert reponse.status_code == 200
    return reponse.context["catalogue"].total, len(requetes)


def test_the_same_search_is_counted_once_then_served_from_the_shared_cache(client):
    for i in range(3):
        DispositifFactory(nom=f"Aide à l'export {i}", thematiques=[Thematique.EXPORT_ATTRACTIVITE])

    premier, requetes_premier = total(client)
    # The same search spelled otherwise: same normalised key.
    second, requetes_second = total(client, "/aides/?thematique=export-attractivite&q=+EXPORT+")

    assert premier == second == 3
    assert requetes_second < requetes_premier


def test_a_published_dispositif_shows_at_once_in_the_cached_counts(client):
    DispositifFactory(nom="Aide à l'export", thematiques=[Thematique.EXPORT_ATTRACTIVITE])
    assert total(client)[0] == 1
    avant = generation("catalogue")

    DispositifFactory(nom="Export encore", thematiques=[Thematique.EXPORT_ATTRACTIVITE])

    assert generation("catalogue") != avant
    assert total(client)[0] == 2
    Dispositif.objects.get(nom="Export encore").delete()
    assert total(client)[0] == 1


def test_the_parcours_catalogue_is_shared_and_dropped_on_publish():
    from parcours.selectors import cache_catalogue

    DispositifFactory()
    cache_catalogue.vider()
    charge = cache_catalogue.obtenir(300)
    assert cache.get(f"parcours:catalogue:{generation('catalogue')}") is not None

    nouveau = DispositifFactory(nom="Nouveau dispositif")

    assert nouveau.pk in {d.id for d in cache_catalogue.obtenir(300)} - {d.id for d in charge}


def test_redis_down_is_a_cache_miss_not_an_error(client, settings):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0", "KEY_PREFIX": "mort"}
    }

    DispositifFactory(nom="Aide à l'export", thematiques=[Thematique.EXPORT_ATTRACTIVITE])

    assert total(client)[0] == 1


def test_an_anonymous_visitor_gets_the_page_from_the_shared_cache_and_a_change_shows_at_once(client, settings):
    settings.CATALOGUE_CACHE_PAGE_ANONYME = True
    DispositifFactory(nom="Aide à l'export", thematiques=[Thematique.EXPORT_ATTRACTIVITE])
    premiere = client.get(URL)

    with CaptureQueriesContext(connection) as requetes:
        seconde = client.get(URL)

    assert len(requetes) == 0
    assert seconde.content == premiere.content
    DispositifFactory(nom="Export bis", thematiques=[Thematique.EXPORT_ATTRACTIVITE])
    assert "Export bis" in client.get(URL).content.decode()


def test_a_logged_in_user_always_gets_the_page_rendered_for_them(client, utilisateur_entreprise, settings):
    settings.CATALOGUE_CACHE_PAGE_ANONYME = True
    DispositifFactory(nom="Aide à l'export", thematiques=[Thematique.EXPORT_ATTRACTIVITE])
    client.get(URL)
    client.force_login(utilisateur_entreprise)

    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(URL)

    assert len(requetes) > 0
    assert "deconnexion" in reponse.content.decode() or "Déconnexion" in reponse.content.decode()


def test_a_repeated_search_runs_no_query_and_gives_the_same_page(client):
    for i in range(3):
        DispositifFactory(nom=f"Aide à l'export {i}", thematiques=[Thematique.EXPORT_ATTRACTIVITE])
    premiere = client.get(URL)

    with CaptureQueriesContext(connection) as requetes:
        seconde = client.get(URL)

    # Counts, the page's rows, the facet panel and the cards all come from the shared cache.
    assert len(requetes) == 0
    assert seconde.content == premiere.content
    assert [d.nom for d in seconde.context["catalogue"].dispositifs] == [
        d.nom for d in premiere.context["catalogue"].dispositifs
    ]


def test_a_card_and_the_facet_counts_follow_a_change_at_once(client):
    aide = DispositifFactory(nom="Aide à l'export", thematiques=[Thematique.EXPORT_ATTRACTIVITE])
    assert "Aide à l&#x27;export" in client.get(URL).content.decode()

    aide.nom = "Export renommé"
    aide.save()
    DispositifFactory(nom="Export encore", thematiques=[Thematique.EXPORT_ATTRACTIVITE, Thematique.NUMERIQUE])

    contenu = client.get(URL).content.decode()
    assert "Export renommé" in contenu and "Aide à l&#x27;export" not in contenu
    assert 'data-compteur="thematique-numerique">1<' in contenu


def test_the_facet_panel_keeps_the_raw_size_of_an_invalid_search_as_before(client):
    DispositifFactory(nom="Aide à l'export", thematiques=[Thematique.EXPORT_ATTRACTIVITE])
    client.get(URL)  # the panel of the valid search is cached
    for _ in range(2):
        contenu = client.get(URL + "&taille=geante").content.decode()
        assert re.search(r'id="f-taille-tous"\s*>', contenu)  # « Toutes » not ticked: the value typed was kept
    assert re.search(r'id="f-taille-tous"\s*checked>', client.get(URL).content.decode())
