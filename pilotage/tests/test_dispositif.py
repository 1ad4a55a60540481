"""Statistics of one dispositif, checked against the hand-computed data set of jeu.py."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pilotage import statistiques, statistiques_sources
from portal.roles import Role

from .jeu import jeu_2025

pytestmark = pytest.mark.django_db


@pytest.fixture
def jeu():
    return jeu_2025()


def test_percentile_cont_is_linear_interpolation_at_rank_p_times_n_minus_one(jeu):
    decision, signature, paiement = statistiques.delais(annee=2025, dispositif_id=jeu.dispositif.pk)
    assert (decision.nombre, decision.mediane, decision.p90) == (4, 7, 24)
    assert (signature.nombre, signature.mediane, signature.p90) == (2, 15, 19)
    assert (paiement.nombre, paiement.mediane, paiement.p90) == (2, 35, 55)


def test_applications_by_state_and_by_month(jeu):
    par_statut = {
        x["statut"]: x["nombre"] for x in statistiques.demandes_par_statut(dispositif_id=jeu.dispositif.pk, annee=2025)
    }
    assert par_statut == {"accordee": 3, "refusee": 1, "en_instruction": 1}
    mois = statistiques.demandes_par_mois(dispositif_id=jeu.dispositif.pk, annee=2025)
    assert [x["deposees"] for x in mois] == [1, 1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert [x["accordees"] for x in mois] == [1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert [x["refusees"] for x in mois] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]


def test_amounts_requested_granted_paid_by_year(jeu):
    assert statistiques.montants_par_annee(dispositif_id=jeu.dispositif.pk) == [
        {"annee": 2024, "demande": Decimal("4000"), "accorde": Decimal("4000"), "verse": Decimal("0")},
        {"annee": 2025, "demande": Decimal("75000"), "accorde": Decimal("53000"), "verse": Decimal("25000")},
    ]


def test_grant_rate_and_comparison_with_the_previous_year(jeu):
    c = statistiques.comparaison(dispositif_id=jeu.dispositif.pk, annee=2025)
    assert (c["deposees"], c["deposees_avant"]) == (5, 1)
    assert (c["accordees"], c["accordees_avant"], c["refusees"], c["refusees_avant"]) == (3, 1, 1, 0)
    assert (c["taux_accord"], c["taux_accord_avant"]) == (75.0, 100.0)
    assert (c["montant"], c["montant_avant"]) == (Decimal("53000"), Decimal("4000"))


def test_de_minimis_consumption_counts_aids_granted_here_and_declared(jeu):
    from datetime import date

    conso = statistiques_sources.de_minimis(dispositif_id=jeu.dispositif.pk, le=date(2025, 12, 31))
    assert conso["montant"] == Decimal("57000")
    assert conso["entreprises"] == 2
    assert conso["proches_plafond"] == 1  # 24,000 granted + 230,000 declared ≥ 80 % of 300,000
    assert conso["total_max"] == Decimal("254000")


def test_share_of_companies_by_size_naf_departement_and_epci(jeu):
    r = statistiques_sources.repartition_entreprises(annee=2025, dispositif_id=jeu.dispositif.pk)
    assert sorted((x["cle"], x["nombre"], x["part"]) for x in r["tranche"]) == [("00", 1, 33.3), ("11", 2, 66.7)]
    assert sorted((x["cle"], x["nombre"]) for x in r["division"]) == [("10", 1), ("62", 2)]
    assert sorted((x["cle"], x["nombre"]) for x in r["departement"]) == [("59", 1), ("80", 2)]
    assert sorted(x["nombre"] for x in r["epci"]) == [1, 2]


def test_the_page_shows_sections_charts_and_tables(client, creer_agent, jeu, django_assert_max_num_queries):
    client.force_login(creer_agent(Role.INSTRUCTEUR))
    with django_assert_max_num_queries(20):
        reponse = client.get(reverse("pilotage:dispositif", args=[jeu.dispositif.pk]), {"annee": 2025})
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert html.count('role="img"') == 3 and "<title" in html and "<desc" in html
    sections = {x["cle"]: x["nombre"] for x in reponse.context["repartition"]["section"]}
    assert sections == {"J": 2, "C": 1}
    assert "75,0" in html  # grant rate
    detail = client.get(reverse("aides_agents:detail", args=[jeu.dispositif.pk]))
    assert reverse("pilotage:dispositif", args=[jeu.dispositif.pk]) in detail.content.decode()


def test_access(client, utilisateur_entreprise, creer_agent, jeu):
    url = reverse("pilotage:dispositif", args=[jeu.dispositif.pk])
    assert client.get(url).status_code == 302
    client.force_login(utilisateur_entreprise)
    assert client.get(url).status_code == 403
    client.force_login(creer_agent(Role.CHARGE_DE_MISSION))
    assert client.get(reverse("pilotage:dispositif", args=[999999])).status_code == 404
