import re

import pytest
from django.utils.html import escape

from territoires.carte import carte_projeter, carte_region, carte_region_svg, epci_situation
from territoires.models import EPCI
from territoires.tests.factories import EPCIFactory

CARRE_A = {"type": "Polygon", "coordinates": [[[2.0, 50.0], [3.0, 50.0], [3.0, 51.0], [2.0, 51.0], [2.0, 50.0]]]}
CARRE_B = {"type": "Polygon", "coordinates": [[[3.0, 50.0], [4.0, 50.0], [4.0, 51.0], [3.0, 51.0], [3.0, 50.0]]]}
ILES = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[2.0, 49.0], [2.5, 49.0], [2.5, 49.5], [2.0, 49.0]]],
        [[[3.5, 49.0], [4.0, 49.0], [4.0, 49.5], [3.5, 49.0]]],
    ],
}


def test_projection_draws_polygons_and_multipolygons():
    carte = carte_projeter([("a", "A", CARRE_A), ("b", "B", CARRE_B), ("c", "C", ILES), ("d", "D", None)])
    assert carte.epcis["a"].chemin.count("M") == 1
    assert carte.epcis["c"].chemin.count("M") == 2
    assert carte.epcis["d"].chemin == ""
    assert all(c.chemin.endswith("Z") for c in carte.epcis.values() if c.chemin)


def test_projection_corrects_longitudes_by_the_cosine_of_latitude():
    carte = carte_projeter([("a", "A", CARRE_A), ("b", "B", CARRE_B), ("c", "C", ILES)])
    # 2° of longitude by 2° of latitude around 50° N: about 0.64 times as wide as high.
    assert carte.largeur / carte.hauteur == pytest.approx(0.643, abs=0.02)


def test_coordinates_have_at_most_one_decimal():
    chemin = carte_projeter([("a", "A", CARRE_A), ("c", "C", ILES)]).epcis["c"].chemin
    nombres = re.findall(r"[\d.]+", chemin)
    assert nombres and all(len(n.partition(".")[2]) <= 1 for n in nombres)


def test_epci_sharing_a_border_are_neighbours_but_not_those_apart():
    carte = carte_projeter([("a", "A", CARRE_A), ("b", "B", CARRE_B), ("c", "C", ILES)])
    assert carte.epcis["a"].voisins == {"b"}
    assert carte.epcis["b"].voisins == {"a"}
    assert carte.epcis["c"].voisins == set()


@pytest.mark.django_db
def test_the_region_map_has_the_92_epci_and_the_given_classes():
    metropole, boulonnais = "248000531", "246200729"
    svg = carte_region_svg(
        {metropole: "epci-selection", boulonnais: "convention-en-vigueur autre"}, titre="Titre", description="Desc"
    )
    assert svg.count("<path ") == 92
    assert svg.count('class="epci"') == 90
    assert svg.count('class="epci epci-selection"') == 1
    assert svg.count('class="epci convention-en-vigueur autre"') == 1
    # The 5 EPCI made of several pieces (islands, exclaves) keep all of them.
    multiples = EPCI.objects.filter(contour__type="MultiPolygon")
    assert multiples.count() == 5
    for epci in multiples:
        nom = re.escape(escape(epci.nom))
        chemin = re.search(rf'd="([^"]+)"><title>{nom}</title>', svg).group(1)
        assert chemin.count("M") >= 2


@pytest.mark.django_db
def test_the_map_is_an_image_named_and_described_and_escapes_its_texts():
    svg = carte_region_svg({}, titre="Carte <b>", description="Texte & suite")
    ouverture = svg[: svg.index(">") + 1]
    assert 'role="img"' in ouverture
    titre, desc = re.search(r'aria-labelledby="(\S+) (\S+)"', ouverture).groups()
    assert f'<title id="{titre}">Carte &lt;b&gt;</title>' in svg
    assert f'<desc id="{desc}">Texte &amp; suite</desc>' in svg
    # Two maps on one page never share ids.
    assert titre not in carte_region_svg({}, titre="x", description="y")


@pytest.mark.django_db
def test_a_map_with_links_makes_every_epci_a_named_link():
    svg = carte_region_svg({}, titre="Carte", description="Cliquez", lien=lambda siren: f"/epci/{siren}/")
    assert 'role="group"' in svg[: svg.index(">")]
    assert svg.count("<a href=") == 92
    assert '<a href="/epci/248000531/" aria-label="Communauté d&#x27;agglomération Amiens Métropole">' in svg


@pytest.mark.django_db
def test_the_projection_is_reused_and_rebuilt_when_the_epci_change(django_assert_num_queries):
    premiere = carte_region()
    with django_assert_num_queries(1):  # only the light check of the set of EPCI
        assert carte_region() is premiere
    EPCIFactory(nom="EPCI sans contour")
    reconstruite = carte_region()
    assert reconstruite is not premiere
    assert len(reconstruite.epcis) == 93
    assert carte_region_svg({}, titre="t", description="d").count("<path ") == 92


@pytest.mark.django_db
def test_the_text_alternative_names_departements_position_and_neighbours():
    mel = EPCI.objects.get(siren="200093201")
    texte = epci_situation(mel)
    assert texte.startswith(
        "L'EPCI Métropole Européenne de Lille est situé dans le département du Nord (59), dans le nord de la région."
    )
    assert "Communauté de communes Pévèle-Carembault" in texte
    # A name holding a comma: the list switches to semicolons.
    assert "Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane ;" in texte
    flandre_lys = EPCI.objects.get(siren="245900758")
    assert "dans les départements du Nord (59) et du Pas-de-Calais (62)" in epci_situation(flandre_lys)
    beauvaisis = EPCI.objects.get(siren="200067999")
    assert "dans le sud-ouest de la région" in epci_situation(beauvaisis)


@pytest.mark.django_db
def test_an_epci_without_outline_says_so():
    epci = EPCIFactory(nom="EPCI sans contour", departements=["80"])
    assert epci_situation(epci) == (
        "L'EPCI EPCI sans contour est situé dans le département de la Somme (80). "
        "Son contour n'est pas disponible : il n'apparaît pas sur la carte."
    )


@pytest.mark.django_db
def test_a_new_process_takes_the_projected_map_from_the_shared_cache(django_assert_num_queries):
    """Projecting the region's outlines takes about a second: a process that starts (a deploy,
    another web node) reads the map projected by another one instead of the outlines."""
    from territoires import carte

    carte_region(refaire=True)
    attendus = set(EPCI.objects.values_list("siren", flat=True))
    carte._cache.clear()  # a process that has not drawn the map yet
    with django_assert_num_queries(1):  # the list of EPCI only, not their outlines
        projetee = carte_region()
    assert set(projetee.epcis) == attendus
