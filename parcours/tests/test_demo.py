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


def test_exporting_and_settling_are_distinct_needs_with_distinct_parcours_and_aids(db):
    """A 300-person firm wanting a new building in Dunkerque is not shown the export parcours; a
    12-person exporter is not offered the aid for foreign investors."""
    from parcours.profil import Profil
    from parcours.selectors import proposition_calculer
    from portal import demo as portal_demo
    from territoires.models import Commune

    portal_demo.charger(io.StringIO())
    aides_demo.charger(io.StringIO())
    demo.charger(io.StringIO())
    dunkerque = Commune.objects.get(code_insee="59183")

    implantation = proposition_calculer(
        profil=Profil(commune="59183", stade="developpement", effectif=300, projets=("implanter",)), commune=dunkerque
    )
    parcours = [p.parcours.nom for p in implantation.assemblage.parcours]
    assert "Exporter (démo)" not in parcours
    assert "S'implanter ou s'agrandir dans la région (démo)" in parcours
    aides = {r.dispositif.nom: r for r in implantation.resultat.recommandes}
    implanter = aides["Aide à l'implantation et à l'extension (démo)"]
    assert "répond à votre projet « M'implanter ou m'agrandir dans la région »" in implanter.raisons
    assert not {
        "Prospection export avec Team France Export (démo)",
        "Premier volontariat international en entreprise (démo)",
    } & set(aides)

    export = proposition_calculer(
        profil=Profil(commune="59183", stade="developpement", effectif=12, projets=("exporter",)), commune=dunkerque
    )
    assert export.assemblage.principal.parcours.nom == "Exporter (démo)"
    aides = {r.dispositif.nom: r for r in export.resultat.recommandes}
    assert "Accueil des investisseurs étrangers (démo)" not in aides
    assert "Aide à l'implantation et à l'extension (démo)" not in aides
    assert "répond à votre projet « Exporter »" in aides["Prospection export avec Team France Export (démo)"].raisons
