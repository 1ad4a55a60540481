import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.roles import Role
from territoires.models import EPCI

pytestmark = pytest.mark.django_db

LISTE = "/agents/territoires/epci/"
AMIENS_METROPOLE = "248000531"
SAINT_QUENTINOIS = "200071892"
METROPOLE_LILLE = "200093201"


def lignes(reponse) -> list[str]:
    """The EPCI names of the list's table, in order."""
    return re.findall(r'<th scope="row" class="fw-normal"><a href="[^"]+">([^<]+)</a>', reponse.content.decode())


def html_vers_texte(texte: str) -> str:
    return texte.replace("&#x27;", "'")


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LISTE, f"{LISTE}{AMIENS_METROPOLE}/"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 302
    assert reponse["Location"].startswith("/connexion/?next=")


@pytest.mark.parametrize("url", [LISTE, f"{LISTE}{AMIENS_METROPOLE}/"])
def test_a_company_user_gets_a_french_403(entreprise_client, url):
    reponse = entreprise_client.get(url)
    assert reponse.status_code == 403


@pytest.mark.parametrize("role", [Role.CHARGE_DE_MISSION, Role.INSTRUCTEUR, Role.PILOTAGE])
def test_any_agent_opens_both_pages(client, creer_agent, role):
    client.force_login(creer_agent(role))
    assert client.get(LISTE).status_code == 200
    assert client.get(f"{LISTE}{AMIENS_METROPOLE}/").status_code == 200


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_the_92_epci_by_name_on_two_pages(agent_client):
    page1, page2 = agent_client.get(LISTE), agent_client.get(LISTE, {"page": 2})
    noms = lignes(page1) + lignes(page2)
    assert len(noms) == 92
    assert [html_vers_texte(n) for n in noms] == list(EPCI.objects.order_by("nom").values_list("nom", flat=True))
    assert "92 EPCI" in page1.content.decode()
    assert 'aria-current="page">1<' in page1.content.decode()


def test_the_list_has_the_expected_columns(agent_client):
    contenu = agent_client.get(LISTE, {"departement": "80", "tri": "population"}).content.decode()
    for colonne in ["Nom", "Type", "Départements", "Population", "Communes"]:
        assert f">{colonne}</th>" in contenu
    ligne = contenu[contenu.index("Amiens Métropole") :].split("</tr>")[0]
    assert "Communauté d&#x27;agglomération" in ligne
    assert ">80</abbr>" in ligne
    assert "180\xa0816" in ligne  # population, French thousands separator
    assert '<td class="text-end">39</td>' in ligne  # communes


def test_the_list_filters_by_departement(agent_client):
    reponse = agent_client.get(LISTE, {"departement": "02"})
    noms = [html_vers_texte(n) for n in lignes(reponse)]
    attendus = EPCI.objects.filter(departements__code="02").order_by("nom")
    assert noms == [e.nom for e in attendus]
    assert 0 < len(noms) < 92
    assert "dans le département Aisne (02)" in reponse.content.decode()


def test_an_epci_spanning_two_departements_is_listed_in_both(agent_client):
    for code in ["59", "62"]:
        contenu = agent_client.get(LISTE, {"departement": code}).content.decode()
        ligne = contenu[contenu.index("Communauté de communes Flandre Lys") :].split("</tr>")[0]
        assert '<abbr title="Nord">59</abbr>, <abbr title="Pas-de-Calais">62</abbr>' in ligne


def test_the_list_sorts_by_population(agent_client):
    decroissant = [html_vers_texte(n) for n in lignes(agent_client.get(LISTE, {"tri": "population"}))]
    assert decroissant[0] == "Métropole Européenne de Lille"
    assert decroissant == list(EPCI.objects.order_by("-population", "nom").values_list("nom", flat=True)[:50])
    croissant = [html_vers_texte(n) for n in lignes(agent_client.get(LISTE, {"tri": "population_croissante"}))]
    assert croissant == list(EPCI.objects.order_by("population", "nom").values_list("nom", flat=True)[:50])


def test_pagination_links_keep_the_filters(agent_client):
    contenu = agent_client.get(LISTE, {"tri": "population"}).content.decode()
    assert 'href="?tri=population&amp;page=2"' in contenu


def test_a_bad_filter_is_explained_and_the_whole_list_shown(agent_client):
    reponse = agent_client.get(LISTE, {"departement": "75", "tri": "hasard"})
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Choisissez un des cinq départements de la région." in contenu
    assert "Choisissez un tri de la liste." in contenu
    assert "92 EPCI" in contenu


def nombre_de_requetes(client, url, donnees=None) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url, donnees).status_code == 200
    return len(requetes)


def test_the_list_runs_the_same_few_queries_whatever_its_length(agent_client, django_assert_max_num_queries):
    agent_client.get(LISTE)  # warm-up
    courte = nombre_de_requetes(agent_client, LISTE, {"departement": "59", "tri": "population"})  # 17 EPCI
    longue = nombre_de_requetes(agent_client, LISTE, {"departement": "60", "tri": "population"})  # 21 EPCI
    assert courte == longue
    # session, user, 2nd factor (4), the user's roles, filter (2), count, page, départements
    with django_assert_max_num_queries(12):
        agent_client.get(LISTE, {"departement": "59"})


# --- Finding the EPCI of a commune ---------------------------------------------------------------


@pytest.mark.parametrize("saisie", ["80021", "Amiens (80021)", "amiens", "80000"])
def test_finding_a_commune_leads_to_its_epci_page(agent_client, saisie):
    reponse = agent_client.get(LISTE, {"commune": saisie})
    assert reponse.status_code == 302
    assert reponse["Location"] == f"{LISTE}{AMIENS_METROPOLE}/?commune=80021"


def test_the_epci_page_points_out_the_commune_that_was_looked_for(agent_client):
    contenu = agent_client.get(f"{LISTE}{SAINT_QUENTINOIS}/", {"commune": "02691"}).content.decode()
    assert 'La commune <a href="#commune-02691">Saint-Quentin (02691)</a> appartient à cet EPCI.' in contenu
    assert '<tr id="commune-02691" class="table-info" aria-current="true">' in contenu


def test_an_unknown_commune_gets_a_french_error_and_keeps_what_was_typed(agent_client):
    reponse = agent_client.get(LISTE, {"commune": "Xqzw Paris"})
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Aucune commune des Hauts-de-France ne correspond à « Xqzw Paris »" in contenu
    assert "Communes proches de votre saisie" not in contenu
    assert 'value="Xqzw Paris"' in contenu
    assert 'aria-invalid="true"' in contenu
    assert 'href="#id_commune"' in contenu  # error summary


def test_a_misspelt_commune_is_unknown_but_close_matches_are_offered(agent_client):
    contenu = agent_client.get(LISTE, {"commune": "Abevile"}).content.decode()
    assert "Aucune commune des Hauts-de-France ne correspond à « Abevile »" in contenu
    assert 'href="?commune=80001"' in contenu


def test_an_ambiguous_commune_offers_close_matches(agent_client):
    contenu = agent_client.get(LISTE, {"commune": "Saint-Mard"}).content.decode()
    assert "Plusieurs communes correspondent à « Saint-Mard »" in contenu
    assert "Communes proches de votre saisie" in contenu
    assert 'href="?commune=80708"' in contenu


def test_an_empty_or_oversized_commune_is_refused(agent_client):
    assert (
        "Saisissez le nom, le code postal ou le code INSEE" in agent_client.get(LISTE, {"commune": ""}).content.decode()
    )
    contenu = agent_client.get(LISTE, {"commune": "x" * 300}).content.decode()
    assert "Saisissez au plus 100 caractères (vous en avez saisi 300)." in contenu


def test_the_commune_field_is_enhanced_by_the_autocompletion_script(agent_client):
    contenu = agent_client.get(LISTE).content.decode()
    assert 'data-autocompletion-commune="" data-url="/territoires/communes/"' in contenu
    assert 'src="/static/js/autocompletion-commune.js"' in contenu
    assert 'for="id_commune"' in contenu


# --- The EPCI page ------------------------------------------------------------------------------


def test_the_epci_page_lists_all_its_communes(agent_client):
    epci = EPCI.objects.get(siren=SAINT_QUENTINOIS)
    contenu = agent_client.get(f"{LISTE}{SAINT_QUENTINOIS}/").content.decode()
    assert "<h1>Communauté d&#x27;agglomération du Saint-Quentinois</h1>" in contenu
    assert contenu.count('<tr id="commune-') == epci.communes.count() == 39
    assert '<th scope="row" class="fw-normal">Saint-Quentin</th>' in contenu
    assert "<td>02100</td>" in contenu
    assert "Aisne (02)" in contenu


def test_a_commune_with_several_postal_codes_shows_them_all(agent_client):
    contenu = agent_client.get(f"{LISTE}{AMIENS_METROPOLE}/").content.decode()
    assert "<td>80000, 80080, 80090</td>" in contenu


def test_the_epci_page_draws_the_region_with_the_epci_highlighted(agent_client):
    contenu = agent_client.get(f"{LISTE}{AMIENS_METROPOLE}/").content.decode()
    svg = contenu[contenu.index("<svg") : contenu.index("</svg>")]
    assert svg.count("<path ") == 92
    assert svg.count('class="epci epci-selection"') == 1
    selection = svg[svg.index('class="epci epci-selection"') :].split("</path>")[0]
    assert "<title>Communauté d&#x27;agglomération Amiens Métropole</title>" in selection
    assert 'role="img"' in svg
    titre, description = re.search(r'aria-labelledby="([^ "]+) ([^"]+)"', svg).groups()
    assert f'<title id="{titre}">' in svg and f'<desc id="{description}">' in svg


def test_the_map_has_a_text_alternative_next_to_it(agent_client):
    contenu = html_vers_texte(agent_client.get(f"{LISTE}{AMIENS_METROPOLE}/").content.decode())
    legende = re.search(r"<figcaption[^>]*>([^<]+)</figcaption>", contenu).group(1)
    assert legende.startswith(
        "L'EPCI Communauté d'agglomération Amiens Métropole est situé dans le département de la Somme (80),"
    )
    assert "Communauté de communes du Val de Somme" in legende


def test_the_epci_page_runs_the_same_few_queries_whatever_its_size(agent_client, django_assert_max_num_queries):
    agent_client.get(f"{LISTE}{SAINT_QUENTINOIS}/")  # warm-up: session, and the map cache
    petit = nombre_de_requetes(agent_client, f"{LISTE}{SAINT_QUENTINOIS}/")  # 39 communes
    grand = nombre_de_requetes(agent_client, f"{LISTE}{METROPOLE_LILLE}/")  # 95 communes
    assert petit == grand
    # session and user (3-4), EPCI, départements, communes, map check; conventions, assignments, roles, own assignment;
    # last and next project review, own assignment (may plan one); CRM sections: companies helped (1), requests (2);
    # aides section « Demandes et montants accordés » (3: counts by state, amounts by year, last grants)
    with django_assert_max_num_queries(23):
        agent_client.get(f"{LISTE}{AMIENS_METROPOLE}/")


@pytest.mark.parametrize("siren", ["000000000", "inconnu", "x" * 300])
def test_an_unknown_siren_gives_a_french_404(agent_client, siren):
    reponse = agent_client.get(f"{LISTE}{siren}/")
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()
