"""The public statistics /statistiques/ and their open data: nothing under 5 companies per cell."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from aides.catalogue.referentiels import Thematique
from aides.models import Statut
from pilotage.agregats import agregats_rafraichir

from . import donnees as d
from .donnees import le

pytestmark = pytest.mark.django_db


@pytest.fixture
def jeu():
    """innovation: 6 companies in the Somme (5 granted); numérique: 5 in the Pas-de-Calais;
    export: 4 in the Nord (under the threshold)."""
    for thematique, commune, nombre, accordees in (
        (Thematique.INNOVATION, "80021", 6, 5),
        (Thematique.NUMERIQUE, "62041", 5, 0),
        (Thematique.EXPORT_ATTRACTIVITE, "59350", 4, 0),
    ):
        dispositif = d.DispositifFactory(thematiques=[thematique])
        for i in range(nombre):
            accordee = i < accordees
            d.demande(
                dispositif=dispositif, etablissement=d.etablissement(commune, denomination=f"SECRETE {thematique} {i}"),
                statut=Statut.ACCORDEE if accordee else Statut.DEPOSEE, depose=le(2025, 3, 1),
                decide=le(2025, 4, 1) if accordee else None, montant_accorde=Decimal("1000") if accordee else None,
            )  # fmt: skip
    for _ in range(4):
        d.sollicitation(recue=le(2025, 5, 1))
    agregats_rafraichir()


def test_cells_under_five_companies_are_hidden_and_one_more_when_alone(client, jeu):
    reponse = client.get(reverse("statistiques"), {"annee": 2025})
    assert reponse.status_code == 200
    par_theme = {x["cle"]: x for x in reponse.context["par_thematique"]}
    assert (par_theme["innovation"]["deposees"], par_theme["innovation"]["accordees"]) == (6, 5)
    assert par_theme["export-attractivite"]["masque"] and par_theme["export-attractivite"]["deposees"] is None
    # Only one cell under the threshold: the smallest visible one is hidden too (secondary suppression).
    assert par_theme["numerique"]["masque"] and par_theme["numerique"].get("secondaire")
    par_dep = {x["cle"]: x for x in reponse.context["par_departement"]}
    assert par_dep["80"]["deposees"] == 6 and par_dep["59"]["masque"] and par_dep["62"]["masque"]
    html = reponse.content.decode()
    assert "SECRETE" not in html and "Camille" not in html


def test_yearly_figures_respect_the_threshold(client, jeu):
    (annee,) = client.get(reverse("statistiques")).context["par_annee"]
    assert annee["annee"] == 2025
    assert (annee["accordees"], annee["montant"]) == (5, Decimal("5000"))  # 5 companies granted: shown
    assert annee["sollicitations"] is None and annee["sollicitations_masquees"]  # 4 requests: hidden
    assert annee["avis"] is None


def test_open_data_csv_and_json_carry_the_same_figures_and_secrets(client, jeu):
    donnees = client.get(reverse("statistiques-json"), {"annee": 2025}).json()
    assert donnees["seuil_secret_statistique"] == 5
    cellule = next(
        x for x in donnees["donnees"]
        if x["indicateur"] == "demandes_deposees" and x["dimension"] == "departement" and x["cle"] == "59"
    )  # fmt: skip
    assert cellule["valeur"] is None and cellule["secret"] is True
    reponse = client.get(reverse("statistiques-csv"), {"annee": 2025})
    texte = b"".join(reponse.streaming_content).decode("utf-8-sig")
    lignes = list(csv.DictReader(io.StringIO(texte), delimiter=";"))
    innovation = next(x for x in lignes if x["indicateur"] == "demandes_deposees" and x["cle"] == "innovation")
    assert innovation["valeur"] == "6" and innovation["secret"] == "non"
    assert "SECRETE" not in texte


def test_the_page_runs_a_bounded_number_of_queries(client, jeu, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):  # 5 reads, work_mem set for the 2 big sorts (savepoints)
        client.get(reverse("statistiques"), {"annee": 2025})


def test_the_figures_are_kept_for_a_while_when_the_cache_is_on(client, jeu, settings, django_assert_max_num_queries):
    from django.core.cache import cache

    cache.clear()
    settings.STATISTIQUES_CACHE_SECONDES = 300
    premiere = client.get(reverse("statistiques"), {"annee": 2025}).context["par_thematique"]
    with django_assert_max_num_queries(1):  # the session-free public page reads nothing more
        seconde = client.get(reverse("statistiques"), {"annee": 2025}).context["par_thematique"]
    assert seconde == premiere
    cache.clear()
