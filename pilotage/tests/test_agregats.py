"""The table of facts the statistics pages read: exact figures, a rebuild that can run twice, the
hourly beat entry, and pages that say the date of the figures they show."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.urls import reverse

from aides.models import Statut
from pilotage import statistiques
from pilotage.agregats import agregats_calcules_le, agregats_rafraichir
from pilotage.models import CalculAgregats, Fait, FaitAnnuel, FaitAnnuelThematique
from pilotage.selectors import statistiques_dispositif
from pilotage.tasks import agregats_rafraichir_tache
from portal.celery import app
from portal.roles import Role

from . import donnees as d
from .donnees import le
from .jeu import jeu_2025

pytestmark = pytest.mark.django_db


def _lignes():
    return sorted(
        Fait.objects.values_list(
            "jour", "nature", "dispositif_id", "direction_id", "departement_id", "epci_id", "entreprise_id",
            "statut", "delai", "nombre", "montant",
        )
    )  # fmt: skip


def test_the_facts_of_the_hand_computed_set():
    jeu = jeu_2025()
    decisions = sorted(
        (f.jour.isoformat(), f.statut, f.delai, f.montant)
        for f in Fait.objects.filter(nature=Fait.Nature.DECISION, dispositif=jeu.dispositif)
    )
    assert decisions == [
        ("2024-06-11", Statut.ACCORDEE, 10, Decimal("4000")),
        ("2025-01-12", Statut.ACCORDEE, 2, Decimal("8000")),
        ("2025-02-05", Statut.ACCORDEE, 4, Decimal("20000")),
        ("2025-03-11", Statut.REFUSEE, 10, Decimal("0")),
        ("2025-04-14", Statut.ACCORDEE, 30, Decimal("25000")),
    ]
    assert sorted(Fait.objects.filter(nature=Fait.Nature.SIGNATURE).values_list("delai", flat=True)) == [10, 20]
    assert sorted(Fait.objects.filter(nature=Fait.Nature.PREMIER_VERSEMENT).values_list("delai", flat=True)) == [
        10,
        60,
    ]
    versements = Fait.objects.filter(nature=Fait.Nature.VERSEMENT).values_list("jour", "montant")
    assert sorted((j.isoformat(), m) for j, m in versements) == [
        ("2025-02-01", Decimal("3000")),
        ("2025-03-01", Decimal("2000")),
        ("2025-04-26", Decimal("20000")),
    ]
    e1 = Fait.objects.get(nature=Fait.Nature.DEPOT, jour="2025-01-10")
    assert (e1.entreprise_id, e1.departement_id, e1.statut, e1.montant) == (
        jeu.e1.entreprise_id,
        "80",
        Statut.ACCORDEE,
        Decimal("10000"),
    )


def test_the_facts_per_year_sum_each_company_s_facts_in_its_cell():
    """The cross-tables' tables: per year, direction, territory and company (and thématique), the
    deposits, the grants and their amount; refusals and payments are not in them."""
    jeu = jeu_2025()
    e1 = FaitAnnuel.objects.get(annee=2025, entreprise=jeu.e1.entreprise)
    assert (e1.deposees, e1.accordees, e1.montant_accorde, e1.sollicitations) == (2, 2, Decimal("33000"), 0)
    assert (e1.direction_id, e1.departement_id) == (jeu.dispositif.direction_id, "80")
    e3 = FaitAnnuel.objects.get(annee=2025, entreprise=jeu.e3.entreprise)
    assert (e3.deposees, e3.accordees, e3.montant_accorde, e3.departement_id) == (2, 0, Decimal("0"), "59")
    e2 = FaitAnnuel.objects.get(annee=2024, entreprise=jeu.e2.entreprise)
    assert (e2.deposees, e2.accordees, e2.montant_accorde) == (1, 1, Decimal("4000"))
    par_theme = FaitAnnuelThematique.objects.get(annee=2025, entreprise=jeu.e1.entreprise)
    assert (par_theme.thematique, par_theme.deposees, par_theme.montant_accorde) == ("innovation", 2, Decimal("33000"))
    depots = Fait.objects.filter(nature=Fait.Nature.DEPOT).aggregate(n=Sum("nombre"))["n"]
    assert FaitAnnuel.objects.aggregate(n=Sum("deposees"))["n"] == depots


def test_an_application_counts_in_each_thematique_of_its_dispositif_and_once_elsewhere():
    dispositif = d.DispositifFactory(thematiques=["innovation", "numerique", "innovation"])
    d.demande(dispositif=dispositif, etablissement=d.etablissement(), statut=Statut.DEPOSEE, depose=le(2025, 3, 1))
    agregats_rafraichir()
    assert sorted(FaitAnnuelThematique.objects.values_list("thematique", "deposees")) == [
        ("innovation", 1),
        ("numerique", 1),
    ]
    assert list(FaitAnnuel.objects.values_list("deposees", flat=True)) == [1]
    (ligne,) = statistiques.tableau_croise(lignes="direction", annee=2025, thematique="numerique")
    assert (ligne["deposees"], ligne["entreprises"]) == (1, 1)


def test_facts_of_one_row_count_as_many_in_percentiles():
    """Two refusals of the same company on the same day, after 5 days, make one row of 2: the
    delays are 5, 5, 20 → median 5, 90th percentile 5 + 0.8 × 15 = 17 (not the 12.5 of 5, 20)."""
    dispositif = d.DispositifFactory()
    etab, autre = d.etablissement(), d.etablissement()
    for etablissement, depose in ((etab, le(2025, 3, 1)), (etab, le(2025, 3, 1)), (autre, le(2025, 2, 14))):
        d.demande(
            dispositif=dispositif, etablissement=etablissement, statut=Statut.REFUSEE, depose=depose,
            decide=le(2025, 3, 6),
        )  # fmt: skip
    agregats_rafraichir()
    ligne = Fait.objects.get(nature=Fait.Nature.DECISION, entreprise=etab.entreprise)
    assert (ligne.nombre, ligne.delai) == (2, 5)
    (decision, _signature, _paiement) = statistiques.delais(annee=2025, dispositif_id=dispositif.pk)
    assert (decision.nombre, decision.mediane, decision.p90) == (3, 5.0, 17.0)
    assert statistiques.comparaison(dispositif_id=dispositif.pk, annee=2025)["refusees"] == 3


def test_a_rebuild_twice_is_a_rebuild_once_and_a_new_fact_waits_for_the_next():
    jeu = jeu_2025()
    premieres = _lignes()
    agregats_rafraichir()
    assert _lignes() == premieres and CalculAgregats.objects.count() == 1
    d.demande(dispositif=jeu.dispositif, etablissement=jeu.e1, statut=Statut.DEPOSEE, depose=le(2025, 6, 2))
    assert statistiques.comparaison(dispositif_id=jeu.dispositif.pk, annee=2025)["deposees"] == 5  # not yet
    agregats_rafraichir()
    assert statistiques.comparaison(dispositif_id=jeu.dispositif.pk, annee=2025)["deposees"] == 6


def test_the_hourly_task_rebuilds_once_per_hour_unless_asked_at_once():
    jeu_2025()
    Fait.objects.all().delete()
    assert agregats_rafraichir_tache() == len(_lignes()) > 0
    Fait.objects.all().delete()
    assert agregats_rafraichir_tache() is None  # the hour is claimed: nothing done
    assert not Fait.objects.exists()
    assert agregats_rafraichir_tache(periodique=False) == len(_lignes()) > 0  # after an import


def test_the_beat_runs_the_rebuild_every_hour():
    entree = settings.CELERY_BEAT_SCHEDULE["pilotage-agregats-rafraichir"]
    assert entree["task"] == "pilotage.tasks.agregats_rafraichir" and entree["task"] in app.tasks
    assert entree["schedule"].minute == {5} and len(entree["schedule"].hour) == 24


def test_pages_say_the_date_of_their_figures(client, creer_agent):
    CalculAgregats.objects.all().delete()
    assert "Chiffres pas encore calculés" in client.get(reverse("statistiques")).content.decode()
    jeu = jeu_2025()
    calcule = agregats_calcules_le()
    date = f"{calcule.astimezone(statistiques.sql.PARIS):%d/%m/%Y à %H:%M}"
    assert f"Chiffres au {date}" in client.get(reverse("statistiques")).content.decode()
    client.force_login(creer_agent(Role.PILOTAGE))
    for url in (
        reverse("pilotage:tableaux"),
        reverse("pilotage:dispositif", args=[jeu.dispositif.pk]),
        reverse("aides_agents:detail", args=[jeu.dispositif.pk]),
    ):
        assert f"Chiffres au {date}" in client.get(url).content.decode(), url
    titre, _chiffres = client.get("/agents/").context["chiffres"][0]
    assert titre.endswith(f", au {date}")


def test_with_the_cache_on_a_rebuild_is_seen_at_once(settings):
    settings.STATISTIQUES_CACHE_SECONDES = 300
    cache.clear()
    jeu = jeu_2025()
    avant = statistiques_dispositif(jeu.dispositif, 2025)
    assert avant["comparaison"]["accordees"] == 3 and avant["chiffres_au"] == agregats_calcules_le()
    d.demande(
        dispositif=jeu.dispositif, etablissement=jeu.e3, statut=Statut.ACCORDEE, depose=le(2025, 6, 1),
        decide=le(2025, 6, 5), montant_accorde=Decimal("1000"),
    )  # fmt: skip
    assert statistiques_dispositif(jeu.dispositif, 2025)["comparaison"]["accordees"] == 3  # kept
    agregats_rafraichir()
    apres = statistiques_dispositif(jeu.dispositif, 2025)
    assert apres["comparaison"]["accordees"] == 4 and apres["chiffres_au"] > avant["chiffres_au"]
