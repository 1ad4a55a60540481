"""Impact indicators: declared per dispositif, expected values given at deposit, aggregated."""

from decimal import Decimal

import pytest
from django.urls import reverse

from aides.demandes.services.indicateurs import indicateur_realise_enregistrer
from aides.demandes.tests.factories import DemandeFactory, RepresentantFactory
from aides.models import Statut, TypeIndicateur, ValeurIndicateur
from pilotage import statistiques_sources

from . import donnees as d
from .donnees import le

pytestmark = pytest.mark.django_db


def _donnees_formulaire(demande, **extra):
    return {
        "intitule": demande.intitule,
        "projet": demande.projet,
        "date_debut_projet": demande.date_debut_projet.strftime("%d/%m/%Y"),
        "montant_demande": "20000",
        "lignes-TOTAL_FORMS": "1",
        "lignes-INITIAL_FORMS": "0",
        "lignes-0-nature": "Machine",
        "lignes-0-montant_ht": "50000",
        **extra,
    }


def test_the_applicant_gives_expected_values_and_cannot_deposit_without_them(client):
    emplois = TypeIndicateur.objects.get(code="emplois_crees")
    investissement = TypeIndicateur.objects.get(code="investissement")
    representant = RepresentantFactory()
    demande = DemandeFactory(representant=representant)
    demande.dispositif.indicateurs.set([emplois, investissement])
    client.force_login(representant.utilisateur)
    url = reverse("espace:modifier", args=[demande.pk])

    page = client.get(url).content.decode()
    assert "L'impact attendu du projet" in page and "Emplois créés (emplois (ETP))" in page

    reponse = client.post(
        url, _donnees_formulaire(demande, action="deposer", **{"impact-indicateur_emplois_crees": "3"})
    )
    assert "Indiquez la valeur prévue de : Investissement réalisé." in reponse.content.decode()
    demande.refresh_from_db()
    assert demande.statut == Statut.BROUILLON
    assert ValeurIndicateur.objects.get(demande=demande, type=emplois).valeur_prevue == Decimal("3")

    client.post(
        url,
        _donnees_formulaire(
            demande,
            action="deposer",
            **{"impact-indicateur_emplois_crees": "3", "impact-indicateur_investissement": "50 000"},
        ),
    )
    demande.refresh_from_db()
    assert demande.statut == Statut.DEPOSEE
    assert ValeurIndicateur.objects.get(demande=demande, type=investissement).valeur_prevue == Decimal("50000")


def test_figures_aggregate_by_dispositif_departement_and_year():
    emplois = TypeIndicateur.objects.get(code="emplois_crees")
    dispositif = d.DispositifFactory()
    dispositif.indicateurs.set([emplois])
    valeurs = [("80021", 2025, "3", "2"), ("80021", 2025, "5", None), ("59350", 2024, "10", None)]
    for commune, annee, prevu, realise in valeurs:
        demande = d.demande(
            dispositif=dispositif, etablissement=d.etablissement(commune), statut=Statut.ACCORDEE,
            depose=le(annee, 1, 5), decide=le(annee, 2, 5), montant_accorde=Decimal("1000"),
        )  # fmt: skip
        ValeurIndicateur.objects.create(demande=demande, type=emplois, valeur_prevue=Decimal(prevu))
        if realise:
            indicateur_realise_enregistrer(
                demande=demande, type_id=emplois.pk, valeur=Decimal(realise), le=le(2026, 1, 1)
            )
    par_dep = {x["cle"]: x for x in statistiques_sources.indicateurs(par="departement", annee=2025)}
    assert set(par_dep) == {"80"}
    dep = par_dep["80"]
    assert (dep["demandes"], dep["prevu"], dep["avec_realise"], dep["realise"]) == (2, Decimal("8"), 1, Decimal("2"))
    par_annee = {x["cle"]: x["prevu"] for x in statistiques_sources.indicateurs(par="annee")}
    assert par_annee == {2024: Decimal("10"), 2025: Decimal("8")}
    par_dispositif = statistiques_sources.indicateurs(par="dispositif")
    assert [(x["cle"], x["prevu"]) for x in par_dispositif] == [(dispositif.pk, Decimal("18"))]
