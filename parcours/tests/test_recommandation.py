"""The recommendation rules on plain objects: no database."""

import datetime

from aides.catalogue.referentiels import Nature, Public, Stade, Thematique
from parcours.profil import Profil
from parcours.recommandation import (
    DispositifVue,
    EtapeVue,
    Motif,
    ParcoursVue,
    Territoire,
    assembler,
    parcours_pertinence,
    recommander,
)

AMIENS = Territoire("80021", "Amiens", "80", "Somme", 1, "Amiens Métropole")
CALAIS = Territoire("62193", "Calais", "62", "Pas-de-Calais", 2, "CA Grand Calais Terres et Mers")
JOUR = datetime.date(2026, 11, 27)


def dispositif(id_, **champs):
    return DispositifVue(id=id_, nom=champs.pop("nom", f"Aide {id_}"), slug=f"aide-{id_}", **champs)


def noms(resultat):
    return [r.dispositif.nom for r in resultat.recommandes]


def test_a_size_bound_gives_a_reason_with_the_companys_headcount():
    aide = dispositif(1, effectif_max=49)
    resultat = recommander(Profil(commune="80021", effectif=12), [aide], territoire=AMIENS, le=JOUR)
    assert resultat.recommandes[0].raisons == ["réservée aux entreprises de moins de 50 salariés : vous en avez 12"]


def test_a_company_above_the_bound_is_set_aside_for_its_size():
    aide = dispositif(1, effectif_max=49)
    resultat = recommander(Profil(commune="80021", effectif=120), [aide], territoire=AMIENS, le=JOUR)
    assert resultat.recommandes == []
    assert resultat.ecartes_lignes() == ["1 aide prévue pour une autre taille d'entreprise"]


def test_an_unknown_size_keeps_the_aid_with_something_to_check():
    aide = dispositif(1, effectif_min=10)
    r = recommander(Profil(commune="80021"), [aide], territoire=AMIENS, le=JOUR).recommandes[0]
    assert r.a_verifier == [
        "réservée aux entreprises d'au moins 10 salariés : indiquez votre effectif pour le vérifier"
    ]


def test_a_size_band_inside_the_bounds_is_enough():
    aide = dispositif(1, effectif_min=10, effectif_max=249)
    r = recommander(Profil(commune="80021", taille="10-49"), [aide], territoire=AMIENS, le=JOUR).recommandes[0]
    assert r.raisons == [
        "réservée aux entreprises de 10 à 249 salariés : votre tranche (10 à 49 salariés) y correspond"
    ]


def test_closed_and_future_aids_are_counted_not_shown():
    aides = [
        dispositif(1, date_cloture=JOUR - datetime.timedelta(days=1)),
        dispositif(2, date_cloture=JOUR - datetime.timedelta(days=30)),
        dispositif(3, date_ouverture=JOUR + datetime.timedelta(days=1)),
        dispositif(4, nom="Ouverte", date_cloture=JOUR),
    ]
    resultat = recommander(Profil(commune="80021"), aides, territoire=AMIENS, le=JOUR)
    assert noms(resultat) == ["Ouverte"]
    assert resultat.recommandes[0].raisons == ["ouverte jusqu'au 27/11/2026"]
    assert resultat.ecartes_lignes() == ["2 aides fermées", "1 aide pas encore ouverte"]
    assert resultat.motif_principal == Motif.FERMEE


def test_territorial_coverage_by_departement_or_epci():
    somme = dispositif(1, nom="Somme", couvre_region=False, departements=frozenset({"80"}))
    epci = dispositif(2, nom="Amiens Métropole", couvre_region=False, epcis=frozenset({1}))
    amiens = recommander(Profil(commune="80021"), [somme, epci], territoire=AMIENS, le=JOUR)
    assert noms(amiens) == ["Amiens Métropole", "Somme"]  # the narrower coverage fits better
    assert amiens.recommandes[1].raisons == ["réservée au département Somme (80) : votre commune, Amiens, s'y trouve"]
    assert amiens.recommandes[0].raisons == ["réservée à certaines intercommunalités, dont la vôtre : Amiens Métropole"]
    calais = recommander(Profil(commune="62193"), [somme, epci], territoire=CALAIS, le=JOUR)
    assert calais.recommandes == []
    assert calais.ecartes_lignes() == ["2 aides réservées à un autre territoire"]


def test_status_publics_are_required_when_the_aid_names_only_them():
    artisans = dispositif(1, publics=(Public.ARTISAN,))
    assert noms(recommander(Profil(commune="80021", statuts=("artisan",)), [artisans], territoire=AMIENS, le=JOUR))
    resultat = recommander(Profil(commune="80021", statuts=("commercant",)), [artisans], territoire=AMIENS, le=JOUR)
    assert resultat.ecartes == {Motif.PUBLIC: 1}


def test_size_publics_are_derived_from_the_headcount():
    tpe = dispositif(1, publics=(Public.TPE,))
    r = recommander(Profil(commune="80021", effectif=3), [tpe], territoire=AMIENS, le=JOUR).recommandes[0]
    assert r.raisons == ["destinée aux TPE (moins de 10 salariés) : votre entreprise en est une"]
    assert recommander(Profil(commune="80021", effectif=30), [tpe], territoire=AMIENS, le=JOUR).ecartes == {
        Motif.PUBLIC: 1
    }


def test_stage_mismatch_sets_the_aid_aside():
    creation = dispositif(1, stades=(Stade.CREATION,))
    assert recommander(
        Profil(commune="80021", stade="developpement"), [creation], territoire=AMIENS, le=JOUR
    ).ecartes == {Motif.STADE: 1}
    r = recommander(Profil(commune="80021", stade="recente"), [creation], territoire=AMIENS, le=JOUR).recommandes[0]
    assert r.raisons == ["prévue pour l'étape « Création » de la vie de l'entreprise : c'est la vôtre"]


def test_naf_sections_divisions_and_codes():
    industrie = dispositif(1, naf_inclus=("C",))
    boulangerie = dispositif(2, naf_inclus=("10.71",))
    sauf_agriculture = dispositif(3, naf_exclus=("A",))
    code = Profil(commune="80021", naf="10.71C")
    resultat = recommander(code, [industrie, boulangerie, sauf_agriculture], territoire=AMIENS, le=JOUR)
    raisons = {r.dispositif.id: r.raisons for r in resultat.recommandes}
    assert raisons[1] == ["ouverte à la section C (Industrie manufacturière) : votre activité en fait partie"]
    assert raisons[2][0].startswith("ouverte au code 10.71")
    assert raisons[3] == [
        "ouverte à tous les secteurs sauf la section A (Agriculture, sylviculture et pêche) : "
        "votre activité n'en fait pas partie"
    ]
    ferme = Profil(commune="80021", naf="01.11Z")
    assert recommander(ferme, [industrie, sauf_agriculture], territoire=AMIENS, le=JOUR).ecartes == {Motif.SECTEUR: 2}
    # Only the section is known: a narrower entry may apply, to be checked.
    section = recommander(Profil(commune="80021", naf="C"), [boulangerie], territoire=AMIENS, le=JOUR)
    assert section.recommandes[0].a_verifier


def test_projects_keep_only_aids_of_their_themes_and_explain_it():
    export = dispositif(1, nom="Export", thematiques=(Thematique.EXPORT_ATTRACTIVITE,))
    numerique = dispositif(2, nom="Numérique", thematiques=(Thematique.NUMERIQUE,))
    difficulte = dispositif(3, nom="Rebond", stades=(Stade.DIFFICULTE,), thematiques=(Thematique.TPE_PROXIMITE,))
    resultat = recommander(
        Profil(commune="80021", projets=("exporter", "difficulte")),
        [export, numerique, difficulte],
        territoire=AMIENS,
        le=JOUR,
    )
    assert sorted(noms(resultat)) == ["Export", "Rebond"]
    assert resultat.par_id()[1].raisons[0] == "répond à votre projet « Exporter »"
    assert resultat.par_id()[3].raisons[0] == "répond à votre projet « Traverser une difficulté »"
    assert resultat.ecartes_lignes() == ["1 aide sans lien avec vos projets"]


def test_innovation_maturity_prefers_the_natures_that_fit_it():
    avance = dispositif(1, nom="Avance", thematiques=(Thematique.INNOVATION,), nature=Nature.AVANCE_REMBOURSABLE)
    pret = dispositif(2, nom="Prêt", thematiques=(Thematique.INNOVATION,), nature=Nature.PRET)
    prototype = Profil(commune="80021", projets=("innover",), maturite="prototype")
    assert noms(recommander(prototype, [pret, avance], territoire=AMIENS, le=JOUR)) == ["Avance", "Prêt"]
    industrialisation = Profil(commune="80021", projets=("innover",), maturite="industrialisation")
    resultat = recommander(industrialisation, [pret, avance], territoire=AMIENS, le=JOUR)
    assert any("« Industrialisation" in raison for raison in resultat.par_id()[2].raisons)


def test_the_maturity_is_dropped_without_the_innovation_project():
    assert Profil(commune="80021", projets=("exporter",), maturite="idee").maturite is None


def test_the_profile_permalink_is_canonical_whatever_the_order():
    a = Profil(commune="80021", projets=("recruter", "exporter"), statuts=("startup", "artisan"), effectif=12)
    b = Profil(commune="80021", projets=("exporter", "recruter"), statuts=("artisan", "startup"), effectif=12)
    assert a.querystring() == b.querystring()
    assert (
        a.querystring()
        == "taille=10-49&effectif=12&statuts=artisan&statuts=startup&commune=80021&projets=exporter&projets=recruter"
    )


def test_parcours_conditions_and_steps_are_filled_with_recommended_aids_only():
    export = dispositif(1, nom="Export", thematiques=(Thematique.EXPORT_ATTRACTIVITE,))
    fermee = dispositif(
        2, nom="Fermée", thematiques=(Thematique.EXPORT_ATTRACTIVITE,), date_cloture=JOUR.replace(year=2020)
    )
    autre = dispositif(3, nom="Autre", thematiques=(Thematique.EXPORT_ATTRACTIVITE,))
    gabarit = ParcoursVue(
        id=1,
        nom="Exporter",
        slug="exporter",
        projets=("exporter",),
        etapes=(
            EtapeVue(1, "diagnostic", "Diagnostic de départ", "Diagnostic export", operateurs="Team France Export"),
            EtapeVue(2, "financement", "Financement", "Financer", dispositif_ids=frozenset({1, 2})),
        ),
    )
    createurs = ParcoursVue(id=2, nom="Créer", slug="creer", stades=("projet",))
    profil = Profil(commune="80021", projets=("exporter",), stade="developpement")
    resultat = recommander(profil, [export, fermee, autre], territoire=AMIENS, le=JOUR)
    assemblage = assembler(profil, resultat, [gabarit, createurs])
    assert [p.parcours.nom for p in assemblage.parcours] == ["Exporter"]
    etapes = assemblage.principal.etapes
    assert [r.dispositif.nom for r in etapes[0].recommandations] == []
    assert [r.dispositif.nom for r in etapes[1].recommandations] == ["Export"]
    assert [r.dispositif.nom for r in assemblage.autres] == ["Autre"]
    assert parcours_pertinence(createurs, profil) is None


def test_naf_answers_are_normalised_from_what_people_type_or_pick():
    from parcours import naf
    from parcours.naf import normaliser_naf

    assert normaliser_naf("c") == "C"
    assert normaliser_naf("C - Industrie manufacturière") == "C"
    assert normaliser_naf("10 - Industries alimentaires") == "10"
    assert normaliser_naf("1071c") == "10.71C"
    assert normaliser_naf(" 10.71 C ") == "10.71C"
    assert normaliser_naf("47.7") == "47.7"
    assert naf.couvre("47.7", "47.71Z") and not naf.couvre("47.7", "47.81Z")
    assert normaliser_naf("04") is None  # no such division
    assert normaliser_naf("Z") is None
    assert normaliser_naf("boulangerie") is None


def test_exporting_and_settling_match_distinct_thematiques():
    export = dispositif(1, nom="Prospection export", thematiques=(Thematique.EXPORT_ATTRACTIVITE,))
    implantation = dispositif(2, nom="Implantation", thematiques=(Thematique.IMPLANTATION,))
    exportateur = Profil(commune="80021", effectif=12, projets=("exporter",))
    assert noms(recommander(exportateur, [export, implantation], territoire=AMIENS, le=JOUR)) == ["Prospection export"]
    qui_s_agrandit = Profil(commune="80021", effectif=300, projets=("implanter",))
    resultat = recommander(qui_s_agrandit, [export, implantation], territoire=AMIENS, le=JOUR)
    assert noms(resultat) == ["Implantation"]
    assert resultat.ecartes_lignes() == ["1 aide sans lien avec vos projets"]
