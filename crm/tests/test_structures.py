"""What the directions fund partners and operators for: by year, by several directions, indicators missed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from crm.models import FinancementStructure, Indicateur
from crm.structures import indicateurs_non_atteints, structures_financees, structures_plusieurs_directions
from crm.tests.factories import StructureFactory
from portal.models import Direction
from portal.roles import Role

pytestmark = pytest.mark.django_db

LISTE = "/agents/crm/structures/"


def direction(code: str) -> Direction:
    return Direction.objects.get(code=code)


def financer(structure, code: str, annee: int, montant: int, objet: str = "Accompagnement", indicateurs=()):
    financement = FinancementStructure.objects.create(
        structure=structure, direction=direction(code), annee=annee, montant=Decimal(montant), objet=objet
    )
    for libelle, cible, realise in indicateurs:
        Indicateur.objects.create(
            financement=financement,
            libelle=libelle,
            cible=Decimal(cible),
            realise=None if realise is None else Decimal(realise),
            unite="entreprises",
        )
    return financement


@pytest.fixture
def jeu():
    cci = StructureFactory(nom="CCI de test")
    bge = StructureFactory(nom="BGE de test")
    adie = StructureFactory(nom="ADIE de test")
    financer(cci, "DAEN", 2026, 100000, indicateurs=[("Accompagnées", 400, 350), ("Reprises", 60, 64)])
    financer(cci, "DPRE", 2026, 50000, "Recrutement", indicateurs=[("Recrutements", 150, None)])
    financer(bge, "DAEN", 2026, 80000, indicateurs=[("Créations", 300, 240)])
    financer(bge, "DFP", 2025, 30000)  # another year: not « several directions » in 2026
    financer(adie, "DAEN", 2026, 20000, "Microcrédit")
    financer(adie, "DAEN", 2026, 10000, "Microcrédit rural")  # one direction, two purposes
    return cci, bge, adie


def test_only_structures_funded_by_two_directions_the_same_year_are_flagged(jeu):
    cci, bge, adie = jeu
    assert list(structures_plusieurs_directions(annee=2026)) == [cci]
    ligne = structures_plusieurs_directions(annee=2026)[0]
    assert ligne.nb_directions == 2 and ligne.total == Decimal("150000")
    assert [f.direction.code for f in ligne.financements_annee] == ["DAEN", "DPRE"]
    assert list(structures_plusieurs_directions(annee=2025)) == []


def test_the_yearly_totals_are_not_inflated_by_the_indicators(jeu):
    cci, bge, adie = jeu
    lignes = {s.nom: s for s in structures_financees(annee=2026)}
    assert lignes["CCI de test"].total == Decimal("150000")
    assert (lignes["CCI de test"].nb_directions, lignes["CCI de test"].nb_non_atteints) == (2, 1)
    assert (lignes["ADIE de test"].total, lignes["ADIE de test"].nb_directions) == (Decimal("30000"), 1)
    assert lignes["BGE de test"].nb_non_atteints == 1
    par_dpre = list(structures_financees(annee=2026, direction=direction("DPRE")))
    assert par_dpre == [cci] and par_dpre[0].total == Decimal("50000") and par_dpre[0].nb_non_atteints == 0


def test_indicators_missed_are_the_measured_ones_below_target(jeu):
    manques = list(indicateurs_non_atteints(annee=2026))
    assert [(i.financement.structure.nom, i.libelle) for i in manques] == [
        ("BGE de test", "Créations"),
        ("CCI de test", "Accompagnées"),
    ]
    assert manques[0].taux == 80
    assert list(indicateurs_non_atteints(annee=2026, direction=direction("DPRE"))) == []


def test_the_three_staff_pages_show_them_in_a_bounded_number_of_queries(
    client, creer_agent, jeu, django_assert_max_num_queries
):
    for n in range(30):
        structure = StructureFactory(nom=f"Réseau {n:02d}")
        financer(structure, "DAEN", 2026, 1000 + n, indicateurs=[("Objectif", 10, 5)])
        financer(structure, "DIPI", 2026, 1000, indicateurs=[("Objectif", 10, 12)])
    client.force_login(creer_agent(Role.CHARGE_DE_MISSION))
    with django_assert_max_num_queries(13):
        liste = client.get(f"{LISTE}?annee=2026").content.decode()
    with django_assert_max_num_queries(13):
        plusieurs = client.get(f"{LISTE}plusieurs-directions/?annee=2026").content.decode()
    with django_assert_max_num_queries(13):
        indicateurs = client.get(
            f"{LISTE}indicateurs-non-atteints/?annee=2026&direction={direction('DAEN').pk}"
        ).content
    assert "CCI de test" in liste and "150\u00a0000,00" in liste and "Page 1 sur 2" in liste
    assert "CCI de test" in plusieurs and "ADIE de test" not in plusieurs and "BGE de test" not in plusieurs
    assert "Créations" in indicateurs.decode() and "Recrutements" not in indicateurs.decode()


def test_the_structure_page_gives_each_year_its_fundings_and_objectives(client, creer_agent, jeu):
    cci, _, _ = jeu
    client.force_login(creer_agent(Role.CHARGE_DE_MISSION))
    page = client.get(f"{LISTE}{cci.pk}/").content.decode()
    assert "financée par 2 directions" in page and "Recrutement" in page and "pas encore mesuré" in page
    assert "<strong>non</strong> (87 %)" in page
    assert client.get(f"{LISTE}999999/").status_code == 404


def test_pilotage_enters_a_funding_its_objectives_and_their_results_on_the_structure_page(client, creer_agent):
    cma = StructureFactory(nom="CMA de test")
    client.force_login(creer_agent(Role.PILOTAGE))
    assert client.get(f"{LISTE}?structure={cma.pk}")["Location"] == f"{LISTE}{cma.pk}/"
    reponse = client.post(
        f"{LISTE}{cma.pk}/financements/",
        {
            "financement-direction": direction("DFP").pk,
            "financement-annee": "2026",
            "financement-montant": "90000",
            "financement-objet": "Apprentissage",
        },
    )
    assert reponse["Location"] == f"{LISTE}{cma.pk}/"
    financement = FinancementStructure.objects.get()
    cle = f"indicateur-{financement.pk}"
    client.post(
        f"{LISTE}financements/{financement.pk}/indicateurs/",
        {f"{cle}-libelle": "Contrats signés", f"{cle}-cible": "800", f"{cle}-unite": "contrats"},
    )
    indicateur = Indicateur.objects.get()
    assert (indicateur.cible, indicateur.realise) == (Decimal("800"), None)
    client.post(f"{LISTE}indicateurs/{indicateur.pk}/realise/", {"realise": "640"})
    indicateur.refresh_from_db()
    assert indicateur.realise == Decimal("640") and indicateur.atteint is False
    assert list(indicateurs_non_atteints(annee=2026)) == [indicateur]
    page = client.get(f"{LISTE}{cma.pk}/").content.decode()
    assert "DFP – Apprentissage" in page and "<strong>non</strong> (80 %)" in page


def test_a_wrong_funding_is_shown_again_with_french_errors_and_what_was_typed(client, creer_agent):
    cma = StructureFactory(nom="CMA de test")
    client.force_login(creer_agent(Role.PILOTAGE))
    donnees = {"financement-direction": direction("DFP").pk, "financement-annee": "2026", "financement-montant": "-5"}
    page = client.post(f"{LISTE}{cma.pk}/financements/", donnees | {"financement-objet": "Apprentissage"}).content
    page = page.decode()
    assert "Le financement n'a pas pu être enregistré" in page and "<title>Erreur –" in page
    assert 'value="Apprentissage"' in page
    assert not FinancementStructure.objects.exists()


def test_only_pilotage_enters_fundings(client, creer_agent, jeu):
    cci, _, _ = jeu
    financement = cci.financements.first()
    indicateur = Indicateur.objects.filter(financement=financement).first()
    client.force_login(creer_agent(Role.CHARGE_DE_MISSION))
    page = client.get(f"{LISTE}{cci.pk}/").content.decode()
    assert "Saisir un financement" not in page and "Ajouter un objectif" not in page
    assert client.post(f"{LISTE}{cci.pk}/financements/", {}).status_code == 403
    assert client.post(f"{LISTE}financements/{financement.pk}/indicateurs/", {}).status_code == 403
    assert client.post(f"{LISTE}indicateurs/{indicateur.pk}/realise/", {"realise": "1"}).status_code == 403
    assert client.post(f"{LISTE}financements/{financement.pk}/supprimer/").status_code == 403
    assert FinancementStructure.objects.filter(pk=financement.pk).exists()


@pytest.mark.parametrize("chemin", ["", "plusieurs-directions/", "indicateurs-non-atteints/", "1/"])
def test_anonymous_visitors_go_to_login_and_company_users_get_403(client, utilisateur_entreprise, chemin):
    assert client.get(LISTE + chemin)["Location"].startswith("/connexion/")
    client.force_login(utilisateur_entreprise)
    assert client.get(LISTE + chemin).status_code == 403


def test_a_bad_year_falls_back_to_the_latest_with_a_message(client, creer_agent, jeu):
    client.force_login(creer_agent(Role.CHARGE_DE_MISSION))
    page = client.get(f"{LISTE}?annee=abc").content.decode()
    assert "Filtre invalide" in page


def test_negative_amounts_and_duplicate_fundings_are_refused_in_french(jeu):
    cci, _, _ = jeu
    with pytest.raises(ValidationError, match="Le montant ne peut pas être négatif."):
        FinancementStructure(structure=cci, direction=direction("DTRI"), annee=2026, montant=-1, objet="X").full_clean()
    with pytest.raises(ValidationError, match="existe déjà"):
        FinancementStructure(
            structure=cci, direction=direction("DAEN"), annee=2026, montant=1, objet="Accompagnement"
        ).full_clean()
