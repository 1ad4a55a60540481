import csv
import io
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from portal.roles import Role
from territoires.models import EPCI, ConventionTerritoriale, TypeConvention
from territoires.selectors_conventions import Categorie, couverture_calculer
from territoires.tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db
Statut = ConventionTerritoriale.Statut
URL = "/agents/territoires/"


@pytest.fixture
def quatre_etats():
    """Four EPCI of the Somme in each state; the other 88 have no convention."""
    aujourd_hui = timezone.localdate()
    somme = list(EPCI.objects.filter(departements__code="80").order_by("nom")[:4])
    ConventionFactory(epci=somme[0])
    ConventionFactory(epci=somme[1], date_fin=aujourd_hui + timedelta(days=45))
    ConventionFactory(epci=somme[2], statut=Statut.EN_NEGOCIATION)
    ConventionFactory(epci=somme[3], statut=Statut.SIGNEE, date_fin=aujourd_hui - timedelta(days=1))  # expired
    return somme


def test_each_epci_gets_the_state_of_its_conventions(quatre_etats):
    couverture = couverture_calculer()
    categories = {ligne.epci.pk: ligne.categorie for ligne in couverture.lignes}
    assert [categories[e.pk] for e in quatre_etats] == [
        Categorie.EN_VIGUEUR,
        Categorie.EXPIRE_BIENTOT,
        Categorie.EN_NEGOCIATION,
        Categorie.AUCUNE,
    ]
    comptes = {c["code"]: c["nombre"] for c in couverture.comptes}
    assert comptes == {"en_vigueur": 1, "expire_bientot": 1, "en_negociation": 1, "aucune": 89}
    assert couverture.nb_epci == 92
    assert couverture.population_couverte == quatre_etats[0].population + quatre_etats[1].population


def test_one_convention_about_to_end_flags_the_epci_even_if_another_type_runs_longer(quatre_etats):
    ConventionFactory(epci=quatre_etats[1], type=TypeConvention.AUTORISATION)
    ligne = next(x for x in couverture_calculer().lignes if x.epci == quatre_etats[1])
    assert ligne.categorie == Categorie.EXPIRE_BIENTOT
    ligne = next(x for x in couverture_calculer(type=TypeConvention.AUTORISATION).lignes if x.epci == quatre_etats[1])
    assert ligne.categorie == Categorie.EN_VIGUEUR


def test_the_page_draws_the_92_epci_coloured_by_state_with_a_legend_and_a_table(client, creer_agent, quatre_etats):
    client.force_login(creer_agent(Role.INSTRUCTEUR))
    contenu = client.get(URL).content.decode()
    assert contenu.count('class="epci conv-') == 92
    assert contenu.count('<path class="epci conv-en_vigueur"') == 1
    assert contenu.count('<path class="epci conv-aucune"') == 89
    assert 'id="motif-expire"' in contenu and 'id="motif-negociation"' in contenu
    assert "Légende" in contenu and "expire dans moins de 90 jours" in contenu
    assert (
        "<caption" in contenu
        and contenu.count('<th scope="row" class="fw-normal"><a href="/agents/territoires/epci/') == 92
    )
    fin = quatre_etats[1].conventions.get().date_fin.strftime("%d/%m/%Y")
    assert f"en vigueur jusqu'au {fin}" in unescape(contenu)


def test_filters_by_departement_and_state(agent_client, quatre_etats):
    contenu = agent_client.get(URL, {"departement": "80", "etat": "en_negociation"}).content.decode()
    assert quatre_etats[2].nom in contenu
    assert quatre_etats[0].nom not in contenu.split("Tableau de la couverture")[1]
    assert "1 EPCI du département" in contenu
    aisne = agent_client.get(URL, {"departement": "02"}).content.decode()
    assert f"{EPCI.objects.filter(departements__code='02').count()} EPCI du département" in aisne


def test_a_bad_filter_is_explained_and_everything_shown(agent_client):
    contenu = agent_client.get(URL, {"etat": "n-importe", "departement": "99"}).content.decode()
    assert "Choisissez un état de la liste." in contenu
    assert "Choisissez un des cinq départements de la région." in contenu
    assert "92 EPCI" in contenu


def test_the_csv_export_has_one_row_per_epci_with_the_end_dates(agent_client, quatre_etats):
    reponse = agent_client.get(f"{URL}couverture.csv", {"departement": "80"})
    assert reponse["Content-Type"].startswith("text/csv")
    assert "attachment" in reponse["Content-Disposition"]
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][:5] == ["SIREN", "EPCI", "Départements", "Population", "État"]
    assert len(lignes) - 1 == EPCI.objects.filter(departements__code="80").count()
    par_siren = {ligne[0]: ligne for ligne in lignes[1:]}
    premiere = quatre_etats[0].conventions.get()
    assert par_siren[quatre_etats[0].siren][4] == "En vigueur"
    assert par_siren[quatre_etats[0].siren][lignes[0].index("Aides aux entreprises : en vigueur jusqu'au")] == (
        premiere.date_fin.strftime("%d/%m/%Y")
    )
    assert par_siren[quatre_etats[2].siren][lignes[0].index("Aides aux entreprises : en cours")] == "En négociation"


def test_the_page_runs_the_same_few_queries_whatever_the_number_of_conventions(
    agent_client, quatre_etats, django_assert_max_num_queries
):
    for epci in EPCI.objects.exclude(pk__in=[e.pk for e in quatre_etats])[:40]:
        ConventionFactory(epci=epci)
        ConventionFactory(epci=epci, type=TypeConvention.CADRE, statut=Statut.PROJET)
    with django_assert_max_num_queries(13):
        assert agent_client.get(URL).status_code == 200


def test_anonymous_visitors_and_companies_cannot_see_the_coverage(client, entreprise_client):
    assert entreprise_client.get(URL).status_code == 403
    assert entreprise_client.get(f"{URL}couverture.csv").status_code == 403
    client.logout()
    assert client.get(URL).url.startswith("/connexion/")
