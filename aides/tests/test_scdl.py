"""The SCDL « subventions » export: conventions above €23,000, valid against the national schema."""

import csv
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aides import scdl
from aides.referentiels import Nature
from aides.tests.factories import DispositifFactory
from aides.tests.factories_convention import convention_notifiee
from portal.roles import Role
from portal.tests.factories import AgentFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_schema_copied_in_the_project_is_the_shared_one():
    from pathlib import Path

    partage = Path("/work/shared/data/scdl-subventions-2.0.1.schema.json")
    if partage.exists():
        assert json.loads(partage.read_text()) == scdl.schema()
    assert scdl.colonnes()[:3] == ["nomAttribuant", "idAttribuant", "dateConvention"]


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
def test_the_export_lists_signed_subsidies_above_23000_euros_and_is_valid(client):
    grande = convention_notifiee(montant=Decimal("40000"))
    convention_notifiee(montant=Decimal("23000"))  # not above the threshold
    convention_notifiee(montant=Decimal("60000"), demande={"dispositif": DispositifFactory(nature=Nature.PRET)})
    sortie = StringIO()
    call_command("exporter_subventions", "--annee", str(timezone.localdate().year), stdout=sortie)
    texte = sortie.getvalue()
    assert scdl.valider_csv(texte) == []
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
def test_notification_ue_is_written_oui_or_non_as_the_schema_spells_it():
    from aides.referentiels import RegimeAide

    assert [c for c in scdl.schema()["fields"] if c["name"] == "notificationUE"][0]["trueValues"] == ["oui"]
    sans_regime = convention_notifiee(
        montant=Decimal("30000"), demande={"dispositif": DispositifFactory(regime=RegimeAide.AUCUN)}
    )
    notifiee = convention_notifiee(
        montant=Decimal("50000"), demande={"dispositif": DispositifFactory(regime=RegimeAide.RGEC)}
    )
    sortie = StringIO()
    call_command("exporter_subventions", "--annee", str(timezone.localdate().year), stdout=sortie)
    texte = sortie.getvalue()
    assert scdl.valider_csv(texte) == []
    lignes = {ligne["idBeneficiaire"]: ligne for ligne in csv.DictReader(StringIO(texte))}
    assert lignes[sans_regime.etablissement.siret]["notificationUE"] == "non"
    assert lignes[notifiee.etablissement.siret]["notificationUE"] == "oui"
    assert scdl.valider_csv(texte.replace(",oui,", ",true,")) != []


@pytest.mark.django_db
def test_an_impossible_year_gets_a_french_400_and_the_command_a_clear_error(client):
    from django.core.management.base import CommandError

    client.force_login(AgentFactory(roles=[Role.GESTIONNAIRE_SAF]))
    for annee in ("99999", "deux-mille", "-5"):
        reponse = client.get(reverse("aides_saf:scdl"), {"annee": annee})
        assert reponse.status_code == 400 and "année" in reponse.content.decode()
    with pytest.raises(CommandError, match="entre 2000 et 2100"):
        call_command("exporter_subventions", "--annee", "99999", stdout=StringIO())
