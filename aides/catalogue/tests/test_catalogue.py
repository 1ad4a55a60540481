"""The public catalogue /aides/ and a dispositif's page /aides/<slug>/, on PostgreSQL."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from aides.catalogue.models.dispositif import Dispositif, condition_couverture
from aides.catalogue.referentiels import Nature, Public, Stade, Thematique
from aides.catalogue.selectors import PAR_PAGE
from aides.catalogue.tests.factories import DispositifFactory
from territoires.models import Commune

pytestmark = pytest.mark.django_db


def noms(reponse) -> list[str]:
    return [d.nom for d in reponse.context["catalogue"].dispositifs]


def compte(reponse, facette: str, code: str) -> int:
    for f in reponse.context["catalogue"].facettes:
        if f.nom == facette:
            return next(v.nombre for v in f.valeurs if v.code == code)
    raise KeyError(facette)


@pytest.fixture
def amiens():
    return Commune.objects.select_related("epci").get(code_insee="80021")


@pytest.fixture
def lille():
    return Commune.objects.select_related("epci").get(code_insee="59350")


# --- Full-text search ---------------------------------------------------------------------------


def test_search_ignores_accents_and_case(client):
    DispositifFactory(nom="Chèque Numérique TPE")
    DispositifFactory(nom="Prêt industrie")
    for texte in ("numerique", "NUMÉRIQUE", "Numérique"):
        assert noms(client.get("/aides/", {"q": texte})) == ["Chèque Numérique TPE"]


def test_search_stems_french_words(client):
    DispositifFactory(nom="Pass export", resume="Pour vos salons à l'étranger.")
    DispositifFactory(nom="Prêt industrie")
    assert noms(client.get("/aides/", {"q": "exporter"})) == ["Pass export"]


def test_search_finds_words_of_the_summary_and_the_description(client):
    DispositifFactory(nom="Aide A", resume="Pour recruter un apprenti.")
    DispositifFactory(nom="Aide B", description="Les dépenses de **cybersécurité** sont éligibles.")
    assert noms(client.get("/aides/", {"q": "apprenti"})) == ["Aide A"]
    assert noms(client.get("/aides/", {"q": "cybersecurite"})) == ["Aide B"]


def test_the_last_word_being_typed_matches_as_a_prefix(client):
    DispositifFactory(nom="Chèque numérique")
    DispositifFactory(nom="Prêt industrie")
    assert noms(client.get("/aides/", {"q": "chèque numér"})) == ["Chèque numérique"]


def test_web_search_syntax_excludes_a_word(client):
    DispositifFactory(nom="Prêt export")
    DispositifFactory(nom="Pass export numérique")
    assert noms(client.get("/aides/", {"q": "export -numérique"})) == ["Prêt export"]


def test_relevance_puts_a_match_in_the_name_before_a_match_in_the_description(client):
    DispositifFactory(nom="Fonds régional", description="Une aide qui parle aussi d'innovation.")
    DispositifFactory(nom="Aide à l'innovation", description="Une aide régionale.")
    assert noms(client.get("/aides/", {"q": "innovation"})) == ["Aide à l'innovation", "Fonds régional"]


# --- Filters ----------------------------------------------------------------------------------


def test_thematique_filter_keeps_aids_having_one_of_the_ticked_thematiques(client):
    DispositifFactory(nom="Numérique", thematiques=[Thematique.NUMERIQUE])
    DispositifFactory(nom="Export", thematiques=[Thematique.EXPORT_ATTRACTIVITE, Thematique.INNOVATION])
    DispositifFactory(nom="Formation", thematiques=[Thematique.FORMATION])
    assert noms(client.get("/aides/", {"thematique": "numerique"})) == ["Numérique"]
    assert noms(client.get("/aides/", {"thematique": ["numerique", "innovation"]})) == ["Export", "Numérique"]


def test_nature_filter(client):
    DispositifFactory(nom="Subvention", nature=Nature.SUBVENTION)
    DispositifFactory(nom="Prêt", nature=Nature.PRET)
    assert noms(client.get("/aides/", {"nature": "pret"})) == ["Prêt"]


def test_public_filter(client):
    DispositifFactory(nom="Pour artisans", publics=[Public.ARTISAN])
    DispositifFactory(nom="Pour ETI", publics=[Public.ETI])
    assert noms(client.get("/aides/", {"public": "artisan"})) == ["Pour artisans"]


def test_stade_filter(client):
    DispositifFactory(nom="Rebond", stades=[Stade.DIFFICULTE])
    DispositifFactory(nom="Croissance", stades=[Stade.DEVELOPPEMENT])
    assert noms(client.get("/aides/", {"stade": "difficulte"})) == ["Rebond"]


def test_size_filter_compares_the_band_with_the_aids_headcount_bounds(client):
    DispositifFactory(nom="Micro", effectif_min=None, effectif_max=9)
    DispositifFactory(nom="PME", effectif_min=10, effectif_max=249)
    DispositifFactory(nom="Grandes", effectif_min=250, effectif_max=None)
    DispositifFactory(nom="Toutes tailles", effectif_min=None, effectif_max=None)
    assert noms(client.get("/aides/", {"taille": "1-9"})) == ["Micro", "Toutes tailles"]
    assert noms(client.get("/aides/", {"taille": "50-249"})) == ["PME", "Toutes tailles"]
    assert noms(client.get("/aides/", {"taille": "250+"})) == ["Grandes", "Toutes tailles"]
    assert noms(client.get("/aides/", {"taille": "0"})) == ["Micro", "Toutes tailles"]


def test_an_aid_limited_to_the_somme_never_shows_for_a_commune_of_the_nord(client, lille, amiens):
    DispositifFactory(nom="Somme seulement", couvre_region=False, departements=["80"])
    DispositifFactory(nom="Toute la région", couvre_region=True)
    assert noms(client.get("/aides/", {"commune": lille.code_insee})) == ["Toute la région"]
    assert noms(client.get("/aides/", {"commune": amiens.code_insee})) == ["Somme seulement", "Toute la région"]


def test_commune_filter_keeps_aids_of_its_epci_and_nothing_limited_elsewhere(client, amiens, lille):
    DispositifFactory(nom="EPCI d'Amiens", couvre_region=False, epcis=[amiens.epci])
    DispositifFactory(nom="EPCI de Lille", couvre_region=False, epcis=[lille.epci])
    DispositifFactory(nom="Nord et Aisne", couvre_region=False, departements=["59", "02"])
    DispositifFactory(nom="Nulle part", couvre_region=False)
    DispositifFactory(nom="Région", couvre_region=True)
    assert noms(client.get("/aides/", {"commune": "80021"})) == ["EPCI d'Amiens", "Région"]
    assert noms(client.get("/aides/", {"commune": "59350"})) == ["EPCI de Lille", "Nord et Aisne", "Région"]


def test_an_aid_on_several_territories_of_the_commune_is_listed_once(client, amiens):
    DispositifFactory(nom="Doublement couvert", couvre_region=True, departements=["80"], epcis=[amiens.epci])
    reponse = client.get("/aides/", {"commune": "80021"})
    assert noms(reponse) == ["Doublement couvert"]
    assert reponse.context["catalogue"].total == 1


def test_the_coverage_rule_keeps_region_wide_aids_and_those_of_the_communes_departement_or_epci(amiens, lille):
    somme = DispositifFactory(couvre_region=False, departements=["80"])
    epci_lille = DispositifFactory(couvre_region=False, epcis=[lille.epci])
    nord_ou_epci_amiens = DispositifFactory(couvre_region=False, departements=["59"], epcis=[amiens.epci])
    region = DispositifFactory(couvre_region=True, departements=["02"])
    DispositifFactory(couvre_region=False)  # limited to nowhere: never shown
    saint_quentin = Commune.objects.get(code_insee="02691")
    attendus = {
        amiens: {somme, nord_ou_epci_amiens, region},
        lille: {epci_lille, nord_ou_epci_amiens, region},
        saint_quentin: {region},
    }
    for commune, dispositifs in attendus.items():
        assert set(Dispositif.objects.couvrant(commune)) == dispositifs, commune
        assert set(Dispositif.objects.filter(condition_couverture(commune))) == dispositifs, commune


def test_commune_typed_by_name_without_javascript_works(client):
    DispositifFactory(nom="Somme seulement", couvre_region=False, departements=["80"])
    reponse = client.get("/aides/", {"commune": "amiens"})
    assert noms(reponse) == ["Somme seulement"]
    assert 'value="Amiens (80021)"' in reponse.content.decode()


def test_an_unknown_commune_gets_a_french_message_and_keeps_what_was_typed(client):
    DispositifFactory(nom="Région")
    reponse = client.get("/aides/", {"commune": "Paris", "q": "région"})
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Aucune commune des Hauts-de-France ne correspond à « Paris »" in page
    assert 'value="Paris"' in page
    assert noms(reponse) == ["Région"]  # the other filters still apply


def test_an_invalid_filter_value_is_reported_in_french_not_a_500(client):
    reponse = client.get("/aides/", {"thematique": "pizza", "tri": "hasard", "page": "abc"})
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "« pizza » n&#x27;est pas une thématique proposée. Choisissez dans la liste." in page
    assert "« hasard » n&#x27;est pas un tri proposé. Choisissez dans la liste." in page


def test_only_published_aids_are_listed(client):
    DispositifFactory(nom="Publiée")
    DispositifFactory(nom="Brouillon", statut=Dispositif.Statut.BROUILLON)
    DispositifFactory(nom="Archivée", statut=Dispositif.Statut.ARCHIVE)
    assert noms(client.get("/aides/")) == ["Publiée"]


def test_closed_aids_are_hidden_unless_asked(client):
    hier = timezone.localdate() - timedelta(days=1)
    DispositifFactory(nom="Ouverte", date_cloture=timezone.localdate())
    DispositifFactory(nom="Close", date_ouverture=hier - timedelta(days=30), date_cloture=hier)
    assert noms(client.get("/aides/")) == ["Ouverte"]
    reponse = client.get("/aides/", {"clos": "1"})
    assert noms(reponse) == ["Close", "Ouverte"]
    assert "Clôturée" in reponse.content.decode()


def test_an_aid_past_its_closing_date_shows_as_closed_without_anyone_touching_it(client):
    DispositifFactory(nom="Appel 2026", slug="appel-2026", date_cloture=date(2026, 12, 31))
    with time_machine.travel(date(2026, 12, 31), tick=False):
        assert noms(client.get("/aides/")) == ["Appel 2026"]
        assert "Cette aide est clôturée" not in client.get("/aides/appel-2026/").content.decode()
    with time_machine.travel(date(2027, 1, 1), tick=False):
        assert noms(client.get("/aides/")) == []
        page = client.get("/aides/appel-2026/").content.decode()
        assert "Cette aide est clôturée" in page
        assert "Déposer une demande" not in page


# --- Facet counts -----------------------------------------------------------------------------


def test_facet_counts_reflect_the_other_active_filters_but_not_their_own(client):
    DispositifFactory(thematiques=[Thematique.NUMERIQUE], nature=Nature.SUBVENTION)
    DispositifFactory(thematiques=[Thematique.NUMERIQUE, Thematique.INNOVATION], nature=Nature.PRET)
    DispositifFactory(thematiques=[Thematique.INNOVATION], nature=Nature.SUBVENTION)
    DispositifFactory(thematiques=[Thematique.FORMATION], nature=Nature.PRET)

    tout = client.get("/aides/")
    assert compte(tout, "thematique", "numerique") == 2
    assert compte(tout, "thematique", "innovation") == 2
    assert compte(tout, "nature", "pret") == 2

    reponse = client.get("/aides/", {"nature": "subvention", "thematique": "numerique"})
    assert reponse.context["catalogue"].total == 1
    # Thématique counts apply the nature filter, not the thématique one (ticking more widens).
    assert compte(reponse, "thematique", "numerique") == 1
    assert compte(reponse, "thematique", "innovation") == 1
    assert compte(reponse, "thematique", "formation") == 0
    # Nature counts apply the thématique filter, not the nature one.
    assert compte(reponse, "nature", "subvention") == 1
    assert compte(reponse, "nature", "pret") == 1
    assert compte(reponse, "nature", "garantie") == 0


def test_facet_counts_follow_the_text_query_the_commune_and_closed_aids(client):
    hier = timezone.localdate() - timedelta(days=1)
    DispositifFactory(
        nom="Numérique Somme", thematiques=[Thematique.NUMERIQUE], couvre_region=False, departements=["80"]
    )
    DispositifFactory(
        nom="Numérique Nord", thematiques=[Thematique.NUMERIQUE], couvre_region=False, departements=["59"]
    )
    DispositifFactory(nom="Numérique clos", thematiques=[Thematique.NUMERIQUE], date_cloture=hier)
    DispositifFactory(nom="Formation", thematiques=[Thematique.FORMATION])
    assert compte(client.get("/aides/", {"q": "numerique"}), "thematique", "numerique") == 2
    assert compte(client.get("/aides/", {"q": "numerique", "commune": "80021"}), "thematique", "numerique") == 1
    assert compte(client.get("/aides/", {"q": "numerique", "clos": "1"}), "thematique", "numerique") == 3
    assert compte(client.get("/aides/", {"q": "numerique"}), "thematique", "formation") == 0


def test_facet_counts_are_shown_next_to_each_value(client):
    DispositifFactory.create_batch(3, thematiques=[Thematique.NUMERIQUE])
    page = client.get("/aides/").content.decode()
    assert 'data-compteur="thematique-numerique">3</span>' in page


# --- Sorts and pagination -----------------------------------------------------------------------


def test_sort_by_nearest_closing_date_puts_permanent_aids_last(client):
    jour = timezone.localdate()
    DispositifFactory(nom="A permanente", date_cloture=None)
    DispositifFactory(nom="B dans un mois", date_cloture=jour + timedelta(days=30))
    DispositifFactory(nom="C demain", date_cloture=jour + timedelta(days=1))
    assert noms(client.get("/aides/", {"tri": "cloture"})) == ["C demain", "B dans un mois", "A permanente"]


def test_sort_by_most_recent_publication(client):
    maintenant = timezone.now()
    DispositifFactory(nom="Ancienne", publie_le=maintenant - timedelta(days=300))
    DispositifFactory(nom="Récente", publie_le=maintenant - timedelta(days=1))
    DispositifFactory(nom="Moyenne", publie_le=maintenant - timedelta(days=30))
    assert noms(client.get("/aides/", {"tri": "recentes"})) == ["Récente", "Moyenne", "Ancienne"]


def test_sort_by_relevance_without_text_query_is_alphabetical(client):
    DispositifFactory(nom="Zèbre")
    DispositifFactory(nom="Abeille")
    assert noms(client.get("/aides/", {"tri": "pertinence"})) == ["Abeille", "Zèbre"]


def test_pagination_shows_pages_and_keeps_the_filters_in_its_links(client):
    DispositifFactory.create_batch(PAR_PAGE + 5, thematiques=[Thematique.NUMERIQUE])
    DispositifFactory(thematiques=[Thematique.FORMATION])
    premiere = client.get("/aides/", {"thematique": "numerique"})
    assert len(noms(premiere)) == PAR_PAGE
    assert "thematique=numerique&amp;page=2" in premiere.content.decode()
    seconde = client.get("/aides/", {"thematique": "numerique", "page": 2})
    assert len(noms(seconde)) == 5
    assert not set(noms(premiere)) & set(noms(seconde))
    # A page past the end shows the last one; junk shows the first.
    assert noms(client.get("/aides/", {"thematique": "numerique", "page": 99})) == noms(seconde)
    assert noms(client.get("/aides/", {"thematique": "numerique", "page": "x"})) == noms(premiere)


def test_the_number_of_queries_does_not_depend_on_the_number_of_results(client, amiens):
    def requetes_pour(nombre: int) -> int:
        Dispositif.objects.all().delete()
        for i in range(nombre):
            DispositifFactory(
                nom=f"Numérique {i}",
                couvre_region=i % 2 == 0,
                departements=["80"] if i % 2 else [],
                epcis=[amiens.epci] if i % 3 == 0 else [],
            )
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get("/aides/", {"q": "numerique", "commune": "80021", "thematique": "tpe-proximite"})
        assert reponse.status_code == 200
        assert reponse.context["catalogue"].total == nombre
        return len(requetes)

    assert requetes_pour(5) == requetes_pour(30)


def test_a_catalogue_page_runs_few_queries(client, django_assert_max_num_queries, amiens):
    DispositifFactory.create_batch(25, couvre_region=False, departements=["80", "59"], epcis=[amiens.epci])
    # The commune, the counts (total and every facet), the page of results with their territories.
    with django_assert_max_num_queries(3):
        reponse = client.get("/aides/", {"q": "dispositif", "commune": "80021", "public": "tpe"})
    assert len(noms(reponse)) == 20


# --- Empty result, shareable URL, fragment ------------------------------------------------------


def test_an_empty_result_says_which_filter_to_remove(client):
    DispositifFactory(nom="Prêt Somme", nature=Nature.PRET, couvre_region=False, departements=["80"])
    reponse = client.get("/aides/", {"nature": "pret", "commune": "59350"})
    page = reponse.content.decode()
    assert reponse.context["catalogue"].total == 0
    assert "Aucune aide ne correspond à votre recherche" in page
    assert "Retirer la commune Lille (59350)" in page
    assert 'href="/aides/?nature=pret"' in page
    # Removing the nature would give nothing: it is not proposed.
    assert "Retirer le filtre « Nature de l&#x27;aide »" not in page


def test_an_empty_result_proposes_closed_aids_when_some_match(client):
    DispositifFactory(nom="Export 2025", date_cloture=timezone.localdate() - timedelta(days=3))
    page = client.get("/aides/", {"q": "export"}).content.decode()
    assert "Afficher aussi les aides clôturées" in page
    assert 'href="/aides/?q=export&amp;clos=1"' in page


def test_the_page_state_is_in_the_url(client):
    DispositifFactory(nom="Numérique", thematiques=[Thematique.NUMERIQUE])
    page = client.get("/aides/", {"q": "numérique", "thematique": "numerique", "tri": "cloture"}).content.decode()
    assert 'name="thematique" value="numerique"\n                 id="f-thematique-numerique" checked' in page
    assert '<option value="cloture" selected>' in page
    assert 'value="numérique"' in page
    # Removing one filter is a link to the same search without it.
    assert 'href="/aides/?q=num%C3%A9rique&amp;tri=cloture"' in page


def test_the_fragment_holds_only_the_results_for_the_javascript_refresh(client):
    DispositifFactory(nom="Numérique", thematiques=[Thematique.NUMERIQUE])
    for reponse in (
        client.get("/aides/", {"q": "numerique", "fragment": "1"}),
        client.get("/aides/", {"q": "numerique"}, headers={"X-Requested-With": "XMLHttpRequest"}),
    ):
        contenu = reponse.content.decode()
        assert "<html" not in contenu
        assert "1 aide trouvée" in contenu
        assert "data-compteurs" in contenu
        assert "X-Requested-With" in reponse["Vary"]
    assert "<html" in client.get("/aides/", {"q": "numerique"}).content.decode()


# --- Detail page ------------------------------------------------------------------------------


def test_the_detail_page_tells_a_company_what_it_needs_to_decide(client, amiens):
    dispositif = DispositifFactory(
        nom="Pass Export Picardie",
        slug="pass-export",
        resume="Pour prospecter à l'étranger.",
        publics=[Public.PME, Public.ARTISAN],
        stades=[Stade.DEVELOPPEMENT],
        effectif_min=1,
        effectif_max=249,
        montant_min=5000,
        montant_max=150000,
        taux_max=50,
        date_cloture=date(2099, 3, 31),
        documents_requis=["Extrait Kbis", "Plan de financement"],
        operateur="bpifrance",
        contact_nom="Service export",
        contact_email="export@hautsdefrance.fr",
        couvre_region=False,
        departements=["80"],
        epcis=[amiens.epci],
    )
    reponse = client.get("/aides/pass-export/")
    assert reponse.status_code == 200
    page = reponse.content.decode()
    for attendu in (
        "Pass Export Picardie",
        "Pour prospecter à l&#x27;étranger.",
        "PME, Artisan",
        "de 1 à 249 salariés",
        "de 5\u00a0000\u00a0€ à 150\u00a0000\u00a0€",
        "50 % des dépenses éligibles",
        "jusqu'au 31/03/2099 inclus",
        "Extrait Kbis",
        "Plan de financement",
        "Bpifrance",
        "export@hautsdefrance.fr",
        "Somme (80)",
        escape(amiens.epci.nom),
        f'href="/espace/demandes/nouvelle/{dispositif.slug}/"',
        "Déposer une demande",
    ):
        assert attendu in page, attendu


def test_the_detail_page_shows_a_closed_banner(client):
    DispositifFactory(slug="fermee", date_ouverture=date(2020, 1, 1), date_cloture=date(2020, 6, 30))
    page = client.get("/aides/fermee/").content.decode()
    assert "Cette aide est clôturée" in page
    assert "30/06/2020" in page
    assert "/espace/demandes/nouvelle/" not in page


def test_an_unknown_slug_is_a_french_404(client):
    reponse = client.get("/aides/nexiste-pas/")
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()


@pytest.mark.parametrize("statut", [Dispositif.Statut.BROUILLON, Dispositif.Statut.ARCHIVE])
def test_a_draft_or_archived_aid_is_a_404_for_the_public(client, agent_client, statut):
    DispositifFactory(slug="cachee", statut=statut)
    assert client.get("/aides/cachee/").status_code == 404
    assert agent_client.get("/aides/cachee/").status_code == 404  # staff preview lives in /agents/


def test_a_description_with_script_or_onerror_renders_inert(client):
    DispositifFactory(
        slug="piege",
        description=(
            'Texte <script>alert("x")</script> et <img src=x onerror="alert(1)"> '
            '[lien](javascript:alert(2)) <a href="#" onclick="alert(3)">clic</a>'
        ),
    )
    page = client.get("/aides/piege/").content.decode()
    assert "<script>alert" not in page
    assert "onerror" not in page
    assert "onclick" not in page
    assert "javascript:" not in page
    assert "Texte" in page


def test_the_description_markdown_is_rendered(client):
    DispositifFactory(slug="md", description="## Dépenses\n\n- conseil\n- **matériel**")
    page = client.get("/aides/md/").content.decode()
    assert "<h2>Dépenses</h2>" in page
    assert "<strong>matériel</strong>" in page


def test_related_aids_share_thematiques_and_are_published_and_open(client, django_assert_max_num_queries):
    hier = timezone.localdate() - timedelta(days=1)
    DispositifFactory(slug="centre", thematiques=[Thematique.NUMERIQUE, Thematique.INNOVATION])
    DispositifFactory(nom="Deux en commun", thematiques=[Thematique.NUMERIQUE, Thematique.INNOVATION])
    DispositifFactory(nom="Une en commun", thematiques=[Thematique.INNOVATION])
    DispositifFactory(nom="Aucune en commun", thematiques=[Thematique.FORMATION])
    DispositifFactory(nom="Brouillon", thematiques=[Thematique.NUMERIQUE], statut=Dispositif.Statut.BROUILLON)
    DispositifFactory(nom="Close", thematiques=[Thematique.NUMERIQUE], date_cloture=hier)
    DispositifFactory.create_batch(3, thematiques=[Thematique.NUMERIQUE])
    with django_assert_max_num_queries(2):  # the dispositif with its territories, its neighbours
        reponse = client.get("/aides/centre/")
    voisins = [d.nom for d in reponse.context["voisins"]]
    assert len(voisins) == 3
    assert voisins[0] == "Deux en commun"
    assert not {"Aucune en commun", "Brouillon", "Close", reponse.context["dispositif"].nom} & set(voisins)


# --- Volume for benchmarks ----------------------------------------------------------------------


def test_generer_volume_creates_plausible_published_demo_dispositifs(client):
    call_command("generer_volume", "--dispositifs", "60", "--graine", "7", stdout=io.StringIO())
    call_command("generer_volume", "--dispositifs", "15", stdout=io.StringIO())  # adds, never collides
    generes = Dispositif.objects.filter(demo=True)
    assert generes.count() == 75
    assert set(generes.values_list("statut", flat=True)) == {Dispositif.Statut.PUBLIE}
    assert not generes.filter(thematiques=[]).exists()
    limites = generes.filter(couvre_region=False)
    assert limites.exists() and generes.filter(couvre_region=True).exists()
    assert not limites.filter(departements=None, epcis=None).exists()  # a limited aid covers somewhere
    assert generes.filter(date_cloture__lt=timezone.localdate()).exists()  # some are closed
    # They are real catalogue entries: searchable and openable.
    un = generes.filter(date_cloture=None, couvre_region=True).first()
    assert noms(client.get("/aides/", {"q": un.nom})) == [un.nom]
    assert client.get(f"/aides/{un.slug}/").status_code == 200


def test_generer_volume_without_an_option_explains_what_to_ask():
    with pytest.raises(CommandError, match="--dispositifs 5000"):
        call_command("generer_volume", stdout=io.StringIO())
