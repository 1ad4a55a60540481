import io

from aides import demo as aides_demo
from parcours import demo
from parcours.models import EtapeParcours, ParcoursType


def test_the_demo_parcours_use_the_demo_catalogue_and_can_be_loaded_twice(db):
    aides_demo.charger(io.StringIO())
    sortie = io.StringIO()
    demo.charger(sortie)
    demo.charger(sortie)
    assert ParcoursType.objects.filter(demo=True).count() == len(demo.PARCOURS_DEMO) >= 5
    assert "attention" not in sortie.getvalue()
    noms = set(ParcoursType.objects.values_list("nom", flat=True))
    assert {"Créer ou reprendre son entreprise (démo)", "Recruter avec Proch'emploi (démo)", "Exporter (démo)"} <= noms
    tpe = ParcoursType.objects.get(slug="demo-tpe-proximite-artisanat-commerce")
    financement = tpe.etapes.get(type=EtapeParcours.Type.FINANCEMENT)
    assert {"Booster TPE (démo)", "Prêt croissance TPE (démo)"} <= set(
        financement.dispositifs.values_list("nom", flat=True)
    )
    assert EtapeParcours.objects.filter(parcours=tpe).count() == 4


def test_the_demo_parcours_load_without_a_catalogue_and_say_what_is_missing(db):
    sortie = io.StringIO()
    demo.charger(sortie)
    assert ParcoursType.objects.count() == len(demo.PARCOURS_DEMO)
    assert "attention : aucun dispositif parmi" in sortie.getvalue()
