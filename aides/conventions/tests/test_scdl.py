"""The SCDL « subventions » export: conventions above €23,000, valid against the national schema."""

import csv
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.referentiels import Nature
from aides.catalogue.tests.factories import DispositifFactory
from aides.conventions import scdl
from aides.conventions.tests.factories import convention_notifiee
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.usefixtures("media")


def test_the_schema_copied_in_the_project_has_the_shared_fields_and_the_published_descriptions():
    from pathlib import Path

    partage = Path("/work/shared/data/scdl-subventions-2.0.1.schema.json")
    if partage.exists():
        sans_documentation = [
            {k: v for k, v in champ.items() if k not in {"title", "description", "example"}}
            for champ in scdl.schema()["fields"]
        ]
        assert json.loads(partage.read_text())["fields"] == sans_documentation
    assert scdl.colonnes()[:3] == ["nomAttribuant", "idAttribuant", "dateConvention"]
    assert all(champ["description"] for champ in scdl.schema()["fields"])


def frictionless_erreurs(texte: str, tmp_path) -> list[str]:
    """The standard Table Schema validator (frictionless) on the CSV, against the vendored schema."""
    from frictionless import Resource, Schema

    fichier = tmp_path / "subventions.csv"
    fichier.write_text(texte, encoding="utf-8")
    schema = Schema.from_descriptor(json.loads(scdl.SCHEMA.read_text(encoding="utf-8")))
    rapport = Resource(path=fichier.name, basepath=str(tmp_path), schema=schema).validate()
    return [f"{e.type}: {e.message}" for tache in rapport.tasks for e in tache.errors] + [
        e.message for e in rapport.errors
    ]


def test_frictionless_refuses_what_the_schema_forbids(tmp_path):
    entete = ",".join(scdl.colonnes())
    bonne = (
        "Région Hauts-de-France,20005374200017,2026-03-01,D1,ACME,73282932000074,Objet,24000.00,"
        "aide en numéraire,unique,2026-03-01,,non,1.00"
    )
    assert frictionless_erreurs(f"{entete}\n{bonne}\n", tmp_path) == []
    assert frictionless_erreurs(f"{entete}\n{bonne.replace(',non,1.00', ',true,1.5')}\n", tmp_path)
    assert frictionless_erreurs(f"{entete}\n{bonne.replace('2026-03-01,,', '2026-03/2027,,')}\n", tmp_path)


def test_the_validator_catches_what_the_schema_forbids():
    entete = ",".join(scdl.colonnes())
    bonne = (
        "Région Hauts-de-France,20005374200017,2026-03-01,D1,ACME,73282932000074,Objet,24000.00,"
        "aide en numéraire,Unique,2026-03-01,,non,0.5"
    )
    assert scdl.valider_csv(f"{entete}\n{bonne}\n") == []
    mauvaise = (
        "Région Hauts-de-France,20005374200018,01/03/2026,D1,,7328293200007,Objet,24000,00,"
        "prêt,Unique,2026-03-01,,oui,1.5"
    )
    erreurs = scdl.valider_csv(f"{entete}\n{mauvaise}\n")
    assert erreurs  # 15 columns (the comma in 24000,00) instead of 14
    # The schema spells notificationUE « oui » / « non » (trueValues/falseValues): "true" is invalid.
    decalee = bonne.replace("20005374200017", "20005374200018").replace(",non,0.5", ",true,1.5")
    erreurs = " | ".join(scdl.valider_csv(f"{entete}\n{decalee}\n"))
    assert "idAttribuant" in erreurs and "Luhn" in erreurs
    assert "notificationUE" in erreurs and "pourcentageSubvention" in erreurs
    assert scdl.valider_csv("a,b\n") and "en-tête" in scdl.valider_csv("a,b\n")[0]


@pytest.mark.django_db
def test_the_export_lists_signed_subsidies_above_23000_euros_and_is_valid(client, tmp_path):
    grande = convention_notifiee(montant=Decimal("40000"))
    convention_notifiee(montant=Decimal("23000"))  # not above the threshold
    convention_notifiee(montant=Decimal("60000"), demande={"dispositif": DispositifFactory(nature=Nature.PRET)})
    sortie = StringIO()
    call_command("exporter_subventions", "--annee", str(timezone.localdate().year), stdout=sortie)
    texte = sortie.getvalue()
    assert scdl.valider_csv(texte) == []
    assert frictionless_erreurs(texte, tmp_path) == []
    lignes = texte.strip().splitlines()
    assert len(lignes) == 2
    assert grande.etablissement.siret in lignes[1]
    assert "40000.00" in lignes[1]
    vide = StringIO()
    call_command("exporter_subventions", "--annee", "2001", stdout=vide)
    assert vide.getvalue().strip() == ",".join(scdl.colonnes())
    client.force_login(AgentFactory(roles=[Role.GESTIONNAIRE_SAF]))
    reponse = client.get(reverse("aides_saf:scdl"), {"annee": timezone.localdate().year})
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("text/csv")
    assert scdl.valider_csv(reponse.content.decode()) == []


@pytest.mark.django_db
def test_the_export_writes_to_the_file_given(tmp_path):
    convention_notifiee(montant=Decimal("30000"))
    fichier = tmp_path / "subventions.csv"
    call_command("exporter_subventions", "--annee", str(timezone.localdate().year), "--sortie", str(fichier))
    texte = fichier.read_text(encoding="utf-8")
    assert len(texte.strip().splitlines()) == 2 and scdl.valider_csv(texte) == []


@pytest.mark.django_db
def test_notification_ue_says_oui_only_for_an_aid_under_a_regime_notified_to_the_commission(tmp_path):
    """Block-exempted (RGEC) and de minimis aids are by definition not notified: « non »."""
    from aides.catalogue.referentiels import RegimeAide

    assert [c for c in scdl.schema()["fields"] if c["name"] == "notificationUE"][0]["trueValues"] == ["oui"]
    par_regime = {
        regime: convention_notifiee(
            montant=Decimal("30000"),
            demande={"dispositif": DispositifFactory(regime=regime), "declaration_de_minimis_faite": True},
        )
        for regime in RegimeAide
    }
    texte = export_annee()
    assert scdl.valider_csv(texte) == [] and frictionless_erreurs(texte, tmp_path) == []
    lignes = {ligne["idBeneficiaire"]: ligne for ligne in csv.DictReader(StringIO(texte))}
    attendu = {regime: ("oui" if regime == RegimeAide.NOTIFIE else "non") for regime in RegimeAide}
    assert {regime: lignes[c.etablissement.siret]["notificationUE"] for regime, c in par_regime.items()} == attendu
    assert scdl.valider_csv(texte.replace(",oui,", ",true,")) != []


def export_annee() -> str:
    sortie = StringIO()
    call_command("exporter_subventions", "--annee", str(timezone.localdate().year), stdout=sortie)
    return sortie.getvalue()


@pytest.mark.django_db
def test_a_single_beneficiary_gets_its_whole_subsidy_whatever_its_expenses(tmp_path):
    # 40,000 € granted on 80,000 € of expenses: the beneficiary's share of the subsidy is still 100 %.
    convention_notifiee(montant=Decimal("40000"))
    (ligne,) = csv.DictReader(StringIO(export_annee()))
    assert ligne["pourcentageSubvention"] == "1.00"


@pytest.mark.django_db
def test_a_staggered_payment_plan_publishes_its_period_and_a_single_payment_its_date(tmp_path):
    import time_machine

    from aides.conventions.models.versement import Versement
    from aides.conventions.services import convention as sc
    from portal.roles import Role
    from portal.tests.factories import AgentFactory

    echelonnee = convention_notifiee(montant=Decimal("40000"))  # default plan: avance, acompte, solde
    unique = convention_notifiee(
        montant=Decimal("30000"),
        echeancier=[{"type": "solde", "pourcentage": 100, "condition": "sur justificatifs"}],
    )
    signee = timezone.localdate()
    lignes = {ligne["idBeneficiaire"]: ligne for ligne in csv.DictReader(StringIO(export_annee()))}
    periode = lignes[echelonnee.etablissement.siret]
    assert periode["conditionsVersement"] == "échelonné"
    debut, fin = periode["datesPeriodeVersement"].split("/")
    assert debut == signee.isoformat() and fin > debut  # until the convention ends (no payment yet)
    # The single payment's date is unknown until paid: a period too, as the schema says.
    assert "/" in lignes[unique.etablissement.siret]["datesPeriodeVersement"]
    gestionnaire = unique.gestionnaire
    versement = sc.versement_creer(
        convention_id=unique.pk, type=Versement.Type.SOLDE, montant=Decimal("30000"), par=gestionnaire
    )
    collegue = AgentFactory(roles=[Role.GESTIONNAIRE_SAF])  # above 23 000 €: mandated by a second agent
    with time_machine.travel(timezone.now() + timezone.timedelta(days=2)):
        for agent in (gestionnaire, collegue, collegue):  # contrôlé, mandaté, payé
            sc.versement_avancer(versement_id=versement.pk, par=agent)
        paye_le = timezone.localdate()
    texte = export_annee()
    lignes = {ligne["idBeneficiaire"]: ligne for ligne in csv.DictReader(StringIO(texte))}
    assert lignes[unique.etablissement.siret]["datesPeriodeVersement"] == paye_le.isoformat()
    assert frictionless_erreurs(texte, tmp_path) == []


@pytest.mark.django_db
def test_an_impossible_year_gets_a_french_400_and_the_command_a_clear_error(client):
    from django.core.management.base import CommandError

    client.force_login(AgentFactory(roles=[Role.GESTIONNAIRE_SAF]))
    for annee in ("99999", "deux-mille", "-5"):
        reponse = client.get(reverse("aides_saf:scdl"), {"annee": annee})
        assert reponse.status_code == 400 and "année" in reponse.content.decode()
    with pytest.raises(CommandError, match="entre 2000 et 2100"):
        call_command("exporter_subventions", "--annee", "99999", stdout=StringIO())
