"""Table-driven: fifteen and more company profiles against a small, stable test catalogue.

The catalogue is made here with the factory (not the demo data), on the real communes of the region.
Each row says which aids must be recommended (with a piece of each expected reason) and which not.
"""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from aides.catalogue.referentiels import Nature, Public, Stade, Thematique
from aides.catalogue.tests.factories import DispositifFactory
from parcours.forms import ProfilForm
from parcours.recommandation import recommander
from parcours.selectors import catalogue_charger, proposition_calculer, territoire_de
from territoires.models import EPCI

MEL = "200093201"
AUJOURDHUI = timezone.localdate()


@pytest.fixture
def catalogue(db):
    mel = EPCI.objects.get(siren=MEL)
    f = DispositifFactory
    f(
        nom="Aide aux artisans",
        publics=[Public.ARTISAN],
        thematiques=[Thematique.TPE_PROXIMITE, Thematique.NUMERIQUE],
        stades=[Stade.CREATION, Stade.DEVELOPPEMENT, Stade.TRANSMISSION],
    )
    f(
        nom="Export PME",
        publics=[Public.PME, Public.ETI],
        thematiques=[Thematique.EXPORT_ATTRACTIVITE],
        effectif_min=10,
        naf_exclus=["A"],
        stades=[Stade.DEVELOPPEMENT],
    )
    f(
        nom="Prototype start-up",
        publics=[Public.STARTUP],
        thematiques=[Thematique.INNOVATION],
        nature=Nature.AVANCE_REMBOURSABLE,
        stades=[Stade.CREATION, Stade.DEVELOPPEMENT],
    )
    f(
        nom="Innovation industrialisation",
        publics=[Public.PME],
        thematiques=[Thematique.INNOVATION],
        nature=Nature.PRET,
        stades=[Stade.DEVELOPPEMENT],
    )
    f(
        nom="Proximité Somme",
        couvre_region=False,
        departements=["80"],
        publics=[Public.TPE],
        thematiques=[Thematique.TPE_PROXIMITE],
        stades=[],
    )
    f(
        nom="Emploi métropole",
        couvre_region=False,
        epcis=[mel],
        publics=[],
        thematiques=[Thematique.EMPLOI_RH],
        stades=[],
    )
    f(
        nom="Création fermée",
        publics=[Public.CREATEUR],
        thematiques=[Thematique.CREATION_REPRISE],
        stades=[Stade.CREATION],
        date_cloture=AUJOURDHUI - datetime.timedelta(days=10),
    )
    f(nom="Numérique sauf agriculture", publics=[], naf_exclus=["A"], thematiques=[Thematique.NUMERIQUE], stades=[])
    f(
        nom="Rebond difficulté",
        publics=[Public.TPE, Public.PME, Public.COMMERCANT, Public.ARTISAN],
        thematiques=[Thematique.TPE_PROXIMITE],
        stades=[Stade.DIFFICULTE],
    )
    f(
        nom="Prêt d'honneur création",
        publics=[Public.CREATEUR],
        thematiques=[Thematique.CREATION_REPRISE],
        stades=[Stade.CREATION, Stade.TRANSMISSION],
        nature=Nature.PRET,
    )
    f(nom="Recrutement petites entreprises", publics=[], effectif_max=49, thematiques=[Thematique.EMPLOI_RH], stades=[])
    f(
        nom="Industrie verte",
        publics=[Public.PME, Public.ETI],
        naf_inclus=["C"],
        effectif_min=20,
        thematiques=[Thematique.FILIERES, Thematique.TRANSITION_ECOLOGIQUE],
        stades=[Stade.DEVELOPPEMENT],
    )
    f(
        nom="Commerce de détail",
        publics=[Public.COMMERCANT],
        naf_inclus=["47"],
        thematiques=[Thematique.TPE_PROXIMITE],
        stades=[Stade.DEVELOPPEMENT, Stade.DIFFICULTE, Stade.CREATION],
    )
    f(
        nom="Appel à venir",
        publics=[],
        thematiques=[Thematique.NUMERIQUE],
        stades=[],
        date_ouverture=AUJOURDHUI + datetime.timedelta(days=30),
    )
    f(
        nom="Ruralité Aisne",
        couvre_region=False,
        departements=["02"],
        publics=[Public.ARTISAN, Public.COMMERCANT],
        thematiques=[Thematique.TPE_PROXIMITE, Thematique.NUMERIQUE],
        stades=[],
    )
    f(
        nom="Emploi ESS",
        publics=[Public.ESS],
        thematiques=[Thematique.EMPLOI_RH, Thematique.CREATION_REPRISE],
        stades=[],
    )
    f(nom="Brouillon invisible", statut="brouillon", publics=[], stades=[], thematiques=[Thematique.NUMERIQUE])


# (description, query string, {aid: [pieces of its reasons]} in the expected ranking order,
#  [aids NOT recommended], {set-aside reason: count} or None)
PROFILS = [
    (
        "un artisan dans une petite commune rurale de l'Aisne",
        "stade=developpement&effectif=3&naf=43.22A&statuts=artisan&commune=02007&projets=investir&projets=numeriser",
        {
            "Aide aux artisans": ["destinée aux artisans : vous êtes artisan", "répond à votre projet « Investir"],
            "Ruralité Aisne": ["réservée au département Aisne (02) : votre commune, Aizelles, s'y trouve"],
            "Numérique sauf agriculture": ["répond à votre projet « Me numériser »", "sauf la section A"],
        },
        ["Proximité Somme", "Commerce de détail", "Export PME", "Appel à venir", "Brouillon invisible"],
        None,
    ),
    (
        "une industrie de 200 salariés de la MEL qui veut exporter",
        "stade=developpement&effectif=200&naf=25.62B&commune=59512&projets=exporter",
        {"Export PME": ["d'au moins 10 salariés : vous en avez 200", "répond à votre projet « Exporter »"]},
        ["Emploi métropole", "Industrie verte", "Aide aux artisans"],
        {"territoire": 2, "fermee": 1, "a_venir": 1, "taille": 1},
    ),
    (
        "une start-up au stade prototype à Amiens",
        "stade=recente&taille=1-9&statuts=startup&commune=80021&projets=innover&maturite=prototype",
        {
            "Prototype start-up": [
                "destinée aux start-up innovantes",
                "« avance remboursable » convient à un projet d'innovation au stade « Prototype »",
            ],
            # A small start-up is also a PME: the loan stays, below the aid that fits the prototype stage.
            "Innovation industrialisation": ["répond à votre projet « Innover »"],
        },
        ["Proximité Somme", "Aide aux artisans"],
        None,
    ),
    (
        "une commerçante en difficulté à Calais",
        "stade=difficulte&effectif=2&naf=47.71Z&statuts=commercant&commune=62193&projets=difficulte",
        {
            "Commerce de détail": ["ouverte à la division 47", "étape « Difficulté »"],
            "Rebond difficulté": ["répond à votre projet « Traverser une difficulté »", "destinée aux commerçants"],
        },
        ["Proximité Somme", "Aide aux artisans", "Ruralité Aisne"],
        None,
    ),
    (
        "un créateur sans SIRET à Saint-Quentin",
        "stade=projet&commune=02691&projets=creer",
        {"Prêt d'honneur création": ["destinée aux créateurs et repreneurs", "« Création »"]},
        ["Création fermée", "Export PME", "Emploi ESS"],
        None,
    ),
    (
        "un repreneur d'entreprise dans la Somme",
        "stade=transmission&commune=80021&projets=creer",
        {"Prêt d'honneur création": ["étape « Transmission et reprise »"]},
        ["Création fermée", "Aide aux artisans"],
        None,
    ),
    (
        "une exploitation agricole de 15 salariés qui veut exporter",
        "stade=developpement&effectif=15&naf=A&commune=80021&projets=exporter",
        {},
        ["Export PME", "Numérique sauf agriculture"],
        {"secteur": 2},
    ),
    (
        "une TPE de 5 salariés qui veut exporter",
        "stade=developpement&effectif=5&commune=59350&projets=exporter",
        {},
        ["Export PME", "Industrie verte"],
        {"taille": 2},
    ),
    (
        "une PME de 60 salariés qui recrute à Lille",
        "stade=developpement&effectif=60&commune=59350&projets=recruter",
        {"Emploi métropole": ["dont la vôtre : Métropole Européenne de Lille"]},
        ["Recrutement petites entreprises", "Emploi ESS"],
        None,
    ),
    (
        "une PME de 60 salariés qui recrute à Amiens, hors de la métropole lilloise",
        "stade=developpement&effectif=60&commune=80021&projets=recruter",
        {},
        ["Emploi métropole", "Recrutement petites entreprises"],
        None,
    ),
    (
        "une TPE d'Amiens qui investit",
        "stade=developpement&taille=1-9&commune=80021&projets=investir",
        {"Proximité Somme": ["réservée au département Somme (80) : votre commune, Amiens, s'y trouve", "TPE"]},
        ["Ruralité Aisne", "Aide aux artisans"],
        None,
    ),
    (
        "la même TPE installée à Calais",
        "stade=developpement&taille=1-9&commune=62193&projets=investir",
        {},
        ["Proximité Somme"],
        None,
    ),
    (
        "une industrie de 30 salariés de Beauvais en transition écologique",
        "stade=developpement&effectif=30&naf=C&commune=60057&projets=transition",
        {"Industrie verte": ["ouverte à la section C", "d'au moins 20 salariés : vous en avez 30"]},
        ["Numérique sauf agriculture"],
        None,
    ),
    (
        "une PME de la tranche 10 à 49 qui recrute, effectif exact inconnu",
        "taille=10-49&commune=59350&projets=recruter",
        {
            "Recrutement petites entreprises": [
                "de moins de 50 salariés : votre tranche (10 à 49 salariés) y correspond"
            ]
        },
        [],
        None,
    ),
    (
        "une PME de 20 salariés qui industrialise une innovation",
        "stade=developpement&effectif=20&commune=60057&projets=innover&maturite=industrialisation",
        {"Innovation industrialisation": ["au stade « Industrialisation et mise sur le marché »"]},
        ["Prototype start-up"],
        None,
    ),
    (
        "une association de l'ESS qui recrute",
        "statuts=ess&commune=59350&projets=recruter",
        {"Emploi ESS": ["destinée aux structures de l'économie sociale et solidaire"]},
        [],
        None,
    ),
    (
        "une entreprise qui ne dit que sa commune voit tout ce qui est ouvert sur son territoire",
        "commune=80021",
        {"Numérique sauf agriculture": ["ouverte à toutes les entreprises de la région"]},
        ["Création fermée", "Appel à venir", "Emploi métropole", "Ruralité Aisne", "Brouillon invisible"],
        {"fermee": 1, "a_venir": 1, "territoire": 2},
    ),
]


@pytest.mark.parametrize(("description", "qs", "attendus", "exclus", "ecartes"), PROFILS, ids=[p[0] for p in PROFILS])
def test_profile_gets_the_expected_aids_with_their_reasons(catalogue, description, qs, attendus, exclus, ecartes):
    form = ProfilForm(QueryDict(qs))
    assert form.is_valid(), form.errors
    proposition = proposition_calculer(profil=form.profil(), commune=form.commune_trouvee)
    recommandes = {r.dispositif.nom: r for r in proposition.resultat.recommandes}
    for nom, morceaux in attendus.items():
        assert nom in recommandes, f"{description} : « {nom} » devrait être recommandée ({list(recommandes)})"
        raisons = " | ".join(recommandes[nom].raisons)
        for morceau in morceaux:
            assert morceau in raisons, f"{description} : « {morceau} » absent des raisons de « {nom} » : {raisons}"
    rangs = [list(recommandes).index(nom) for nom in attendus]
    assert rangs == sorted(rangs), f"{description} : ordre inattendu {list(recommandes)}"
    for nom in exclus:
        assert nom not in recommandes, f"{description} : « {nom} » ne devrait pas être recommandée"
    if ecartes is not None:
        for motif, nombre in ecartes.items():
            assert proposition.resultat.ecartes[motif] == nombre, proposition.resultat.ecartes


@pytest.mark.parametrize(("description", "qs"), [p[:2] for p in PROFILS], ids=[p[0] for p in PROFILS])
def test_loading_only_the_open_aids_of_the_territory_gives_the_whole_catalogues_result(catalogue, description, qs):
    """Without the cache, the selector leaves closed and out-of-territory aids in the database and only
    counts them: the recommendation must be exactly the pure function's over the whole catalogue."""
    f = DispositifFactory
    veille, demain = AUJOURDHUI - datetime.timedelta(days=1), AUJOURDHUI + datetime.timedelta(days=1)
    f(nom="Fermée et ailleurs", couvre_region=False, departements=["60"], date_cloture=veille, publics=[], stades=[])
    f(nom="À venir et ailleurs", couvre_region=False, departements=["60"], date_ouverture=demain, publics=[])
    f(nom="Ferme ce soir", date_cloture=AUJOURDHUI, publics=[], stades=[], thematiques=[Thematique.NUMERIQUE])
    f(nom="Ouvre ce matin", date_ouverture=AUJOURDHUI, publics=[], stades=[], thematiques=[Thematique.EMPLOI_RH])
    f(nom="Oise et MEL", couvre_region=False, departements=["60"], epcis=[EPCI.objects.get(siren=MEL)], publics=[])
    form = ProfilForm(QueryDict(qs))
    assert form.is_valid(), form.errors

    calcule = proposition_calculer(profil=form.profil(), commune=form.commune_trouvee, le=AUJOURDHUI).resultat
    entier = recommander(
        form.profil(), catalogue_charger(), territoire=territoire_de(form.commune_trouvee), le=AUJOURDHUI
    )

    assert [(r.dispositif.id, r.score, r.raisons, r.a_verifier) for r in calcule.recommandes] == [
        (r.dispositif.id, r.score, r.raisons, r.a_verifier) for r in entier.recommandes
    ]
    assert dict(calcule.ecartes) == dict(entier.ecartes) and calcule.nombre_ecartes > 0


def test_there_are_at_least_fifteen_profiles():
    assert len(PROFILS) >= 15


@pytest.mark.parametrize("saisie", ["75056", "13055", "59999", "Paris (75056)"])
def test_a_company_outside_the_region_is_recognised_as_such(db, saisie):
    form = ProfilForm(QueryDict(f"commune={saisie.replace(' ', '+')}&projets=exporter"))
    assert form.is_valid(), form.errors
    assert form.hors_region and form.commune_trouvee is None


def test_an_unknown_commune_name_is_an_error_not_an_empty_result(db):
    form = ProfilForm(QueryDict("commune=Marseille"))
    assert not form.is_valid()
    assert "parmi les communes des Hauts-de-France" in form.errors["commune"][0]
