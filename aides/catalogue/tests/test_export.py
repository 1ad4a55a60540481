"""CSV export of the current search: French spreadsheets, no formula injection."""

import csv
import io
from datetime import date

import pytest

from aides.catalogue.referentiels import Nature, Thematique
from aides.catalogue.tests.factories import DispositifFactory
from portal.tableurs import cellule_csv as neutraliser

pytestmark = pytest.mark.django_db


def lire(reponse) -> tuple[bytes, list[list[str]]]:
    brut = b"".join(reponse.streaming_content)
    return brut, list(csv.reader(io.StringIO(brut.decode("utf-8-sig")), delimiter=";"))


def test_the_export_is_utf8_with_bom_semicolons_and_a_header(client):
    DispositifFactory(
        nom="Chèque numérique",
        slug="cheque-numerique",
        thematiques=[Thematique.NUMERIQUE, Thematique.TPE_PROXIMITE],
        montant_max=12500.5,
        date_cloture=date(2099, 6, 30),
    )
    reponse = client.get("/aides/export.csv")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"].startswith('attachment; filename="aides-hauts-de-france-')
    brut, lignes = lire(reponse)
    assert brut.startswith(b"\xef\xbb\xbf")
    entete, ligne = lignes
    assert entete[:3] == ["Nom", "Adresse", "Résumé"]
    valeurs = dict(zip(entete, ligne, strict=True))
    assert valeurs["Nom"] == "Chèque numérique"
    assert valeurs["Adresse"] == "http://testserver/aides/cheque-numerique/"
    assert valeurs["Thématiques"] == "Numérique, TPE et économie de proximité"
    assert valeurs["Montant maximum (€)"] == "12500,50"
    assert valeurs["Clôture"] == "30/06/2099"
    assert valeurs["Territoire"] == "Toute la région Hauts-de-France"
    assert valeurs["État"] == "ouverte"


def test_the_export_follows_the_current_search(client):
    DispositifFactory(nom="Prêt export", nature=Nature.PRET)
    DispositifFactory(nom="Subvention export")
    DispositifFactory(nom="Chèque numérique", nature=Nature.PRET)
    _, lignes = lire(client.get("/aides/export.csv", {"q": "exporter", "nature": "pret"}))
    assert [ligne[0] for ligne in lignes[1:]] == ["Prêt export"]


def test_cells_starting_like_a_formula_are_neutralised(client):
    DispositifFactory(nom='=HYPERLINK("http://pirate";"clic")', resume="+33 6 00 00 00 00", slug="piege")
    DispositifFactory(nom="@SUM(A1)", resume="-2+3", slug="piege-2")
    _, lignes = lire(client.get("/aides/export.csv"))
    cellules = [cellule for ligne in lignes[1:] for cellule in ligne]
    assert '\'=HYPERLINK("http://pirate";"clic")' in cellules
    assert "'+33 6 00 00 00 00" in cellules
    assert "'@SUM(A1)" in cellules
    assert "'-2+3" in cellules
    assert not [c for c in cellules if c[:1] in ("=", "+", "-", "@")]


@pytest.mark.parametrize(
    ("cellule", "attendu"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("Prêt", "Prêt"), (None, "")],
)
def test_neutraliser(cellule, attendu):
    assert neutraliser(cellule) == attendu


def test_an_invalid_filter_is_a_400_in_french(client):
    reponse = client.get("/aides/export.csv", {"nature": "cadeau"})
    assert reponse.status_code == 400
    assert "n'est pas une nature d'aide proposée" in reponse.content.decode()


def test_the_export_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    DispositifFactory.create_batch(30, couvre_region=False, departements=["80"])
    with django_assert_max_num_queries(1):
        _, lignes = lire(client.get("/aides/export.csv"))
    assert len(lignes) == 31
