"""Exchange with Aides-territoires: export in their API's format, import back as drafts (round trip)."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Operateur, Public, Thematique
from aides.catalogue.services.aides_territoires import CATEGORIES, SOURCE, aides_importer
from aides.catalogue.tests.factories import DispositifFactory
from portal.models import Direction
from territoires.models import EPCI

pytestmark = pytest.mark.django_db

# Their aid's fields (API serializer, latest version), plus perimeter_scale.
CHAMPS_AIDES_TERRITOIRES = {
    "id", "slug", "url", "name", "name_initial", "short_title", "financers", "instructors", "programs",
    "description", "eligibility", "perimeter", "perimeter_scale", "mobilization_steps", "origin_url", "categories",
    "is_call_for_project", "application_url", "targeted_audiences", "aid_types", "is_charged", "destinations",
    "start_date", "predeposit_date", "submission_deadline", "subvention_rate_lower_bound",
    "subvention_rate_upper_bound", "loan_amount", "recoverable_advance_amount", "contact", "recurrence",
    "project_examples", "import_data_url", "import_data_mention", "import_share_licence", "date_created",
    "date_updated",
}  # fmt: skip

# What survives an export then an import (the one-to-one mappings of aides/catalogue/services/aides_territoires.py).
CHAMPS_CONSERVES = (
    "nom",
    "thematiques",
    "nature",
    "couvre_region",
    "eligible_feder",
    "date_ouverture",
    "date_cloture",
    "taux_max",
    "operateur",
    "operateur_nom",
)


@pytest.fixture
def catalogue():
    epci = EPCI.objects.get(communes__code_insee="80021")
    return [
        DispositifFactory(
            nom="Prêt d'honneur du réseau",
            description="### Objet\n\nFinancer **le démarrage** d'une entreprise.",
            thematiques=[Thematique.CREATION_REPRISE, Thematique.EMPLOI_RH],
            nature=Nature.PRET,
            montant_max=Decimal("50000"),
            operateur=Operateur.PARTENAIRE,
            operateur_nom="Réseau Entreprendre Hauts-de-France",
            modalite_depot=Dispositif.ModaliteDepot.EXTERNE,
            url_depot_externe="https://operateur.example.org/deposer",
            date_ouverture=date(2026, 1, 1),
            date_cloture=date(2099, 6, 30),
            eligible_feder=True,
            publics=[Public.CREATEUR, Public.ESS],
            documents_requis=["Plan de financement"],
        ),
        DispositifFactory(
            nom="Chèque numérique Somme et Amiens",
            thematiques=[Thematique.NUMERIQUE],
            nature=Nature.SUBVENTION,
            taux_max=Decimal("50"),
            couvre_region=False,
            departements=["80"],
            epcis=[epci],
            operateur=Operateur.BPIFRANCE,
        ),
        DispositifFactory(
            nom="Avance innovation",
            thematiques=[Thematique.INNOVATION, Thematique.TRANSITION_ECOLOGIQUE],
            nature=Nature.AVANCE_REMBOURSABLE,
            montant_max=Decimal("200000"),
        ),
    ]


def test_the_export_has_their_fields_and_vocabulary(client, catalogue):
    reponse = client.get(reverse("aides:export-aides-territoires"))
    aides = {a["name"]: a for a in reponse.json()["results"]}
    assert reponse.status_code == 200 and reponse.json()["count"] == 3
    pret = aides["Prêt d'honneur du réseau"]
    assert set(pret) == CHAMPS_AIDES_TERRITOIRES
    assert pret["aid_types"] == ["Prêt"] and pret["loan_amount"] == 50000
    assert pret["categories"] == [CATEGORIES[Thematique.CREATION_REPRISE], CATEGORIES[Thematique.EMPLOI_RH]]
    assert pret["targeted_audiences"] == ["Entreprises privées", "Associations"]
    assert pret["application_url"] == "https://operateur.example.org/deposer"
    assert pret["financers"] == ["Région Hauts-de-France", "Union européenne (FEDER)"]
    assert pret["submission_deadline"] == "2099-06-30" and pret["perimeter"] == "Hauts-de-France"
    assert "Plan de financement" in pret["eligibility"]
    cheque = aides["Chèque numérique Somme et Amiens"]
    assert cheque["perimeter_scale"] == "Ad-hoc" and cheque["perimeter"].startswith("Somme, ")
    assert cheque["subvention_rate_upper_bound"] == 50


def test_a_round_trip_export_then_import_keeps_every_mapped_field(tmp_path, catalogue):
    fichier = tmp_path / "aides.json"
    call_command("exporter_aides_territoires", "--sortie", str(fichier), stdout=open("/dev/null", "w"))
    originaux = {d.nom: d for d in Dispositif.objects.filter(pk__in=[d.pk for d in catalogue])}
    call_command("importer_aides_territoires", str(fichier), "--avec-region", stdout=open("/dev/null", "w"))

    importes = {d.nom: d for d in Dispositif.objects.filter(source=SOURCE).prefetch_related("departements", "epcis")}
    assert set(importes) == set(originaux)
    for nom, original in originaux.items():
        copie = importes[nom]
        assert copie.statut == Dispositif.Statut.BROUILLON and copie.publie_le is None
        assert copie.source_id == str(original.pk)
        for champ in CHAMPS_CONSERVES:
            assert getattr(copie, champ) == getattr(original, champ), (nom, champ)
        assert set(copie.departements.all()) == set(original.departements.all())
        assert set(copie.epcis.all()) == set(original.epcis.all())
        assert "démarrage" in copie.description or not original.description.startswith("###")
        assert copie.modalite_depot == Dispositif.ModaliteDepot.EXTERNE  # applied for where the file says
    assert importes["Prêt d'honneur du réseau"].url_depot_externe == "https://operateur.example.org/deposer"
    assert importes["Prêt d'honneur du réseau"].montant_max == Decimal("50000")
    assert importes["Avance innovation"].montant_max == Decimal("200000")
    assert importes["Avance innovation"].url_depot_externe.endswith("/espace/demandes/nouvelle/avance-innovation/")


def test_the_import_is_idempotent_and_never_touches_a_published_aid(catalogue, client):
    donnees = client.get(reverse("aides:export-aides-territoires")).json()
    daen = Direction.objects.get(code="DAEN")
    assert aides_importer(donnees, direction=daen, avec_region=True).crees == 3
    bilan = aides_importer(donnees, direction=daen, avec_region=True)
    assert (bilan.crees, bilan.mis_a_jour, bilan.inchanges) == (0, 0, 3)
    assert Dispositif.objects.filter(source=SOURCE).count() == 3

    publie = Dispositif.objects.filter(source=SOURCE).first()
    Dispositif.objects.filter(pk=publie.pk).update(statut=Dispositif.Statut.PUBLIE, publie_le=timezone.now())
    donnees["results"][0]["name"] = "Nom changé chez eux"
    aides_importer(donnees, direction=daen, avec_region=True)
    assert not Dispositif.objects.filter(
        source=SOURCE, statut=Dispositif.Statut.PUBLIE, nom="Nom changé chez eux"
    ).exists()


def test_the_import_skips_what_is_not_for_companies_of_the_region_and_says_why():
    aide = {
        "id": 1,
        "name": "Aide de l'État aux PME",
        "description": "<p>Pour les PME.</p>",
        "financers": ["État"],
        "instructors": ["Bpifrance"],
        "perimeter": "France",
        "targeted_audiences": ["Entreprises privées"],
        "aid_types": ["Subvention"],
        "categories": [CATEGORIES[Thematique.NUMERIQUE]],
        "application_url": "https://etat.example.org/",
    }
    communes = {**aide, "id": 2, "name": "Pour les communes", "targeted_audiences": ["Communes"]}
    bretagne = {**aide, "id": 3, "name": "Breton", "perimeter": "Bretagne"}
    region = {**aide, "id": 4, "name": "Déjà chez nous", "financers": ["Région Hauts-de-France"]}
    bilan = aides_importer([aide, communes, bretagne, region], direction=Direction.objects.get(code="DAEN"))
    assert bilan.crees == 1 and len(bilan.ecartes) == 3
    assert any("entreprises" in ligne for ligne in bilan.ecartes)
    assert any("Bretagne" in ligne for ligne in bilan.ecartes)
    importee = Dispositif.objects.get(source=SOURCE)
    assert (importee.nom, importee.operateur, importee.couvre_region) == ("Aide de l'État aux PME", "bpifrance", True)
    assert importee.statut == Dispositif.Statut.BROUILLON


def test_the_import_command_reports_a_missing_file(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Lecture"):
        call_command("importer_aides_territoires", str(tmp_path / "absent.json"))
    fichier = tmp_path / "vide.json"
    fichier.write_text(json.dumps({"results": []}))
    call_command("importer_aides_territoires", str(fichier), stdout=open("/dev/null", "w"))
