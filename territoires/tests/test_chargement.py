import pytest
from django.core.management import call_command

from territoires.chargement import territoires_charger
from territoires.models import EPCI, Commune, Departement

pytestmark = pytest.mark.django_db


def compter() -> tuple[int, int, int]:
    return Departement.objects.count(), EPCI.objects.count(), Commune.objects.count()


def test_the_test_database_holds_the_whole_region():
    assert compter() == (5, 92, 3782)


def test_loading_twice_keeps_the_same_rows():
    avant = set(Commune.objects.values_list("pk", "code_insee"))
    bilan = territoires_charger()
    bilan_bis = territoires_charger()
    assert (bilan.departements, bilan.epci, bilan.communes) == (5, 92, 3782)
    assert (bilan_bis.departements, bilan_bis.epci, bilan_bis.communes) == (5, 92, 3782)
    assert compter() == (5, 92, 3782)
    assert set(Commune.objects.values_list("pk", "code_insee")) == avant
    assert EPCI.departements.through.objects.count() == sum(len(e.departements.all()) for e in EPCI.objects.all())


def test_loading_again_restores_edited_reference_data():
    Commune.objects.filter(code_insee="80021").update(nom="Amiens modifiée", population=1)
    EPCI.objects.filter(siren="248000531").update(nom="Autre nom", contour=None)
    territoires_charger()
    amiens = Commune.objects.get(code_insee="80021")
    assert (amiens.nom, amiens.nom_recherche) == ("Amiens", "amiens")
    assert amiens.population > 100_000
    metropole = EPCI.objects.get(siren="248000531")
    assert metropole.nom == "Communauté d'agglomération Amiens Métropole"
    assert metropole.contour["type"] in {"Polygon", "MultiPolygon"}


def test_saint_quentin_belongs_to_its_agglomeration_and_to_the_aisne():
    commune = Commune.objects.select_related("departement", "epci").get(code_insee="02691")
    assert commune.nom == "Saint-Quentin"
    assert commune.nom_recherche == "saint quentin"
    assert commune.departement.nom == "Aisne"
    assert commune.epci.nom == "Communauté d'agglomération du Saint-Quentinois"
    assert commune.epci.communes.filter(code_insee="02691").exists()
    assert list(commune.epci.departements.values_list("code", flat=True)) == ["02"]


def test_amiens_has_its_three_postal_codes():
    assert Commune.objects.get(code_insee="80021").liste_codes_postaux == ["80000", "80080", "80090"]


def test_every_epci_has_an_outline_and_its_communes():
    assert not EPCI.objects.filter(contour__isnull=True).exists()
    assert not EPCI.objects.filter(communes__isnull=True).exists()


def test_the_command_reports_what_it_loaded(capsys):
    call_command("charger_territoires")
    assert "5 départements, 92 EPCI et 3782 communes" in capsys.readouterr().out
    assert compter() == (5, 92, 3782)
