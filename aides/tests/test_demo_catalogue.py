"""The demo catalogue of `manage.py demo`: big enough, varied, labelled as demo, and safe to run twice."""

import io

import pytest
from django.utils import timezone

from aides import demo
from aides.catalogue.demo import textes
from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Thematique
from aides.catalogue.services.dispositif import manques_pour_publier
from portal import demo as portal_demo

pytestmark = pytest.mark.django_db

SCHEMAS_NOMMES = [
    "Prêt croissance TPE",
    "Booster TPE",
    "REHA",
    "MOBI",
    "INAC",
    "Starter",
    "Maison des Entrepreneurs",
    "Proch'emploi",
    "entreprises innovantes et industrielles",
    "Team France Export",
    "implantation",
    "Pass senior entreprise",
]


@pytest.fixture
def catalogue_demo():
    portal_demo.charger(io.StringIO())
    demo.charger(io.StringIO())
    return list(Dispositif.objects.prefetch_related("departements", "epcis"))


def test_the_demo_catalogue_holds_at_least_40_dispositifs_all_labelled_demo(catalogue_demo):
    assert len(catalogue_demo) >= 40
    assert all(d.demo and d.nom.endswith("(démo)") for d in catalogue_demo)
    assert all(d.thematiques and d.publics and d.stades for d in catalogue_demo)
    auteurs = {ligne.history_user.email for ligne in Dispositif.historique.select_related("history_user")}
    assert auteurs == {textes.AUTEUR_DEMO}


def test_the_published_demo_covers_every_thematique_and_is_complete(catalogue_demo):
    publies = [d for d in catalogue_demo if d.statut == Dispositif.Statut.PUBLIE]
    ouverts = [d for d in publies if d.est_ouvert()]
    assert {t for d in ouverts for t in d.thematiques} == set(Thematique.values)
    for d in publies:
        assert manques_pour_publier(d, nb_departements=len(d.departements.all()), nb_epcis=len(d.epcis.all())) == []


def test_the_schemes_named_in_the_diagnosis_are_in_the_demo(catalogue_demo):
    noms = [d.nom for d in catalogue_demo if d.statut == Dispositif.Statut.PUBLIE]
    manquants = [schema for schema in SCHEMAS_NOMMES if not any(schema in nom for nom in noms)]
    assert manquants == []


def test_the_demo_mixes_coverages_and_calendars(catalogue_demo):
    jour = timezone.localdate()
    publies = [d for d in catalogue_demo if d.statut == Dispositif.Statut.PUBLIE]
    region = [d for d in publies if d.couvre_region]
    departement_seul = [d for d in publies if not d.couvre_region and d.departements.all() and not d.epcis.all()]
    epci_seuls = [d for d in publies if not d.couvre_region and d.epcis.all() and not d.departements.all()]
    clos = [d for d in publies if d.date_cloture and d.date_cloture < jour]
    a_venir = [d for d in publies if d.date_ouverture and d.date_ouverture > jour]

    assert len(region) >= 20
    assert len(departement_seul) >= 3
    assert len(epci_seuls) >= 3 and any(2 <= len(d.epcis.all()) <= 5 for d in epci_seuls)
    assert len(clos) >= 3
    assert len(a_venir) >= 1
    assert any(d.statut == Dispositif.Statut.ARCHIVE for d in catalogue_demo)
    assert any(d.statut == Dispositif.Statut.BROUILLON for d in catalogue_demo)
    pass_senior = next(d for d in publies if d.nom.startswith("Pass senior entreprise"))
    assert {e.siren for e in pass_senior.epcis.all()} == set(textes.PASS_SENIOR)


def test_loading_the_demo_twice_changes_nothing(catalogue_demo):
    historique_avant = Dispositif.historique.count()
    sortie = io.StringIO()

    demo.charger(sortie)

    assert Dispositif.objects.count() == len(catalogue_demo)
    assert Dispositif.historique.count() == historique_avant
    assert "0 créés, 0 mis à jour" in sortie.getvalue()


def liens_aux_conventions() -> set[tuple[int, int]]:
    return set(
        Dispositif.conventions_territoriales.through.objects.values_list("dispositif_id", "conventionterritoriale_id")
    )


def test_the_demo_links_dispositifs_to_the_aides_conventions_of_their_epci_once():
    from territoires import demo as territoires_demo
    from territoires.models import ConventionTerritoriale, TypeConvention

    portal_demo.charger(io.StringIO())
    territoires_demo.charger(io.StringIO())
    demo.charger(io.StringIO())
    liens, historique = liens_aux_conventions(), Dispositif.historique.count()

    demo.charger(io.StringIO())

    assert liens_aux_conventions() == liens
    assert Dispositif.historique.count() == historique
    conventions_aides = ConventionTerritoriale.objects.filter(demo=True, type=TypeConvention.AIDES)
    booster = Dispositif.objects.get(nom__startswith="Booster TPE")
    assert set(booster.conventions_territoriales.all()) == set(conventions_aides)
    couvrant_des_epci = Dispositif.objects.filter(epcis__isnull=False).exclude(statut=Dispositif.Statut.ARCHIVE)
    lies = 0
    for dispositif in couvrant_des_epci.distinct():
        attendues = set(conventions_aides.filter(epci__in=dispositif.epcis.all()))
        assert set(dispositif.conventions_territoriales.all()) == attendues, dispositif.nom
        lies += bool(attendues)
    assert lies >= 3
    # So the public contacts pages of these EPCI list covered aids.
    publies_en_vigueur = Dispositif.objects.publies().filter(
        conventions_territoriales__in=conventions_aides.en_vigueur()
    )
    assert publies_en_vigueur.distinct().count() >= 4


def test_searching_export_in_the_demo_finds_the_export_aids_including_the_vie(catalogue_demo, client):
    reponse = client.get("/aides/", {"q": "export", "clos": "1"})
    trouvees = {d.nom.removesuffix(" (démo)") for d in reponse.context["catalogue"].dispositifs}
    assert {
        "Prospection export avec Team France Export",
        "Premier volontariat international en entreprise",
        "Pavillon régional sur les salons internationaux",
    } <= trouvees
    # Attractiveness is not export: the aids for foreign investors and for settling here are not found.
    assert not {"Accueil des investisseurs étrangers", "Aide à l'implantation et à l'extension"} & trouvees
