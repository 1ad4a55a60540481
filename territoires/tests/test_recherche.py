import pytest

from territoires.models import Commune
from territoires.selectors import commune_depuis_saisie, communes_rechercher

pytestmark = pytest.mark.django_db

URL = "/territoires/communes/"


def codes(reponse) -> list[str]:
    return [r["code_insee"] for r in reponse.json()["resultats"]]


@pytest.mark.parametrize("saisie", ["saint quentin", "Saint-Quentin", "SAINT-QUENTIN", "saint  quentin", "st quentin"])
def test_saint_quentin_comes_first_whatever_the_accents_hyphens_case_or_abbreviation(client, saisie):
    reponse = client.get(URL, {"q": saisie})
    assert reponse.status_code == 200
    resultats = codes(reponse)
    assert resultats[0] == "02691"
    # The other communes named after Saint Quentin follow.
    assert {"60594", "80713", "80714"} <= set(resultats)


def test_accents_are_ignored_in_both_directions(client):
    assert codes(client.get(URL, {"q": "ecourt saint quentin"}))[0] == "62284"
    assert codes(client.get(URL, {"q": "Écourt-Saint-Quentin"}))[0] == "62284"


def test_an_insee_code_finds_its_commune(client):
    assert codes(client.get(URL, {"q": "80021"})) == ["80021"]


def test_a_postal_code_finds_its_communes(client):
    assert codes(client.get(URL, {"q": "80000"}))[0] == "80021"
    # 02100 is both Bony's INSEE code and Saint-Quentin's postal code: the exact code comes first.
    assert codes(client.get(URL, {"q": "02100"}))[:2] == ["02100", "02691"]


def test_a_postal_code_shared_by_several_communes_lists_the_biggest_ten(client):
    communes = Commune.objects.filter(codes_postaux__contains="02300").order_by("-population")
    assert communes.count() > 10
    assert codes(client.get(URL, {"q": "02300"})) == [c.code_insee for c in communes[:10]]


def test_a_name_and_a_postal_code_together_narrow_the_search(client):
    assert codes(client.get(URL, {"q": "Saint-Quentin 02100"})) == ["02691"]


def test_the_label_shown_by_the_autocompletion_finds_its_commune_again(client):
    assert codes(client.get(URL, {"q": "Amiens (80021)"})) == ["80021"]


def test_exact_name_comes_before_prefix_then_word_then_contained(client):
    resultats = codes(client.get(URL, {"q": "lille"}))
    assert resultats[:2] == ["59350", "62516"]  # Lille, then Lillers (prefix)
    assert resultats.index("59527") < resultats.index("60363")  # Saint-André-lez-Lille before Lierville


def test_prefixes_rank_the_biggest_commune_first(client):
    resultats = communes_rechercher("boulogne")
    assert str(resultats[0]) == "Boulogne-sur-Mer (62160)"
    populations = [c.population for c in resultats if c.nom_recherche.startswith("boulogne")]
    assert populations == sorted(populations, reverse=True)


def test_a_typo_still_finds_the_commune_by_trigram_similarity(client):
    assert codes(client.get(URL, {"q": "abevile"}))[0] == "80001"
    assert codes(client.get(URL, {"q": "dunkerke"}))[0] == "59183"


def test_a_lone_abbreviation_is_not_expanded_while_typing(client):
    # "st" may be the start of Steenvoorde: keep it as typed until another word follows.
    resultats = client.get(URL, {"q": "st"}).json()["resultats"]
    assert resultats[0]["nom"] == "Steenvoorde"
    assert "02691" not in [r["code_insee"] for r in resultats]


def test_at_most_ten_results(client):
    assert Commune.objects.filter(nom_recherche__contains="saint").count() > 10
    assert len(codes(client.get(URL, {"q": "saint"}))) == 10


def test_nothing_matching_gives_an_empty_list(client):
    reponse = client.get(URL, {"q": "xqzw"})
    assert reponse.status_code == 200
    assert reponse.json() == {"resultats": []}


def test_a_result_has_the_documented_fields(client):
    resultat = client.get(URL, {"q": "amiens"}).json()["resultats"][0]
    assert resultat == {
        "code_insee": "80021",
        "nom": "Amiens",
        "departement": "80",
        "departement_nom": "Somme",
        "epci": "Communauté d'agglomération Amiens Métropole",
        "epci_siren": "248000531",
        "codes_postaux": ["80000", "80080", "80090"],
        "libelle": "Amiens (80021)",
    }


@pytest.mark.parametrize("q", ["", "   "])
def test_an_empty_search_is_refused_with_a_french_message(client, q):
    reponse = client.get(URL, {"q": q})
    assert reponse.status_code == 400
    assert "Saisissez" in reponse.json()["erreur"]


def test_a_missing_parameter_is_refused(client):
    assert client.get(URL).status_code == 400


def test_a_300_character_search_is_refused_with_a_french_message(client):
    reponse = client.get(URL, {"q": "a" * 300})
    assert reponse.status_code == 400
    assert reponse.json() == {"erreur": "La recherche est limitée à 100 caractères (vous en avez saisi 300)."}


def test_the_search_runs_one_query(client, django_assert_num_queries):
    for saisie in ["saint quentin", "80000", "Saint-Quentin 02100", "abevile"]:
        with django_assert_num_queries(1):
            assert client.get(URL, {"q": saisie}).status_code == 200


def test_the_search_is_open_to_anonymous_visitors_and_read_only(client):
    assert client.get(URL, {"q": "amiens"}).status_code == 200
    assert client.post(URL, {"q": "amiens"}).status_code == 405


# --- commune_depuis_saisie: what a form without JavaScript receives -----------------------------


@pytest.mark.parametrize(
    "saisie",
    ["80021", "Amiens (80021)", "amiens (80021)", "  Amiens  ", "AMIENS", "80000", "Amiens 80000"],
)
def test_a_form_field_accepts_a_code_a_label_a_name_or_a_postal_code(saisie):
    assert commune_depuis_saisie(saisie).code_insee == "80021"


def test_a_name_is_matched_without_accents_or_hyphens():
    assert commune_depuis_saisie("saint quentin").code_insee == "02691"
    assert commune_depuis_saisie("ecourt-saint-quentin").code_insee == "62284"


def test_an_insee_code_wins_over_the_same_postal_code():
    assert commune_depuis_saisie("02100").nom == "Bony"


@pytest.mark.parametrize("saisie", ["", "   ", "xqzw", "99999", "Amiens (99999)", "saint", "02300", "800"])
def test_unknown_or_ambiguous_input_gives_none(saisie):
    assert commune_depuis_saisie(saisie) is None


def test_homonyms_need_their_postal_code():
    homonymes = Commune.objects.filter(nom_recherche="saint mard")
    assert homonymes.count() > 1
    assert commune_depuis_saisie("Saint-Mard") is None
    une = homonymes.first()
    assert commune_depuis_saisie(f"Saint-Mard {une.liste_codes_postaux[0]}") == une


def test_the_form_helper_runs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert commune_depuis_saisie("Saint-Quentin").epci.nom
