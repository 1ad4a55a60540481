"""Browser: the review page (agenda, minutes, decisions) and the EPCI page, checked with axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from crm import services
from crm.revues import decision_ajouter, point_ajouter
from crm.services_revues import revue_creer
from crm.tests.factories import EtablissementFactory
from portal.roles import Role
from territoires.chargement import territoires_charger
from territoires.models import EPCI
from territoires.tests.factories import AffectationFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_the_review_page_and_the_epci_page_are_accessible(page, live_server, creer_agent, connecter, verifier_axe):
    territoires_charger()
    amiens = EPCI.objects.get(siren="248000531")
    charge = creer_agent(Role.CHARGE_DE_MISSION, first_name="Inès", last_name="Carpentier")
    AffectationFactory(agent=charge, epci=amiens)
    revue = revue_creer(
        par=None,
        epcis=[amiens],
        participants_internes=[charge],
        date=timezone.localdate() - timedelta(days=2),
        lieu="Hôtel de Région",
        participants_partenaires="Marie Durand, CCI Amiens-Picardie",
    )
    boulangerie = EtablissementFactory(entreprise__denomination="Boulangerie Lefèvre")
    services.interaction_enregistrer(
        auteur=charge, entreprise=boulangerie.entreprise, agents=[charge], etablissement=boulangerie, type="visite",
        date=timezone.localdate(), objet="Visite",
    )  # fmt: skip
    point = point_ajouter(revue=revue, entreprise=boulangerie.entreprise, sujet="Reprise du fonds", par=None)
    decision_ajouter(
        point=point,
        titre="Appeler HDFID",
        assignee=charge,
        echeance=timezone.localdate() + timedelta(days=7),
        par=charge,
    )
    EtablissementFactory(entreprise__denomination="Métallerie du Vimeu")

    connecter(page, charge)
    page.goto(f"{live_server.url}/agents/crm/revues/{revue.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Revue de projets du")
    page.get_by_label("Entreprise : nom, SIREN ou SIRET").fill("metallerie vimeu")
    page.get_by_label("Sujet à examiner").fill("Extension de l'atelier")
    page.get_by_role("button", name="Ajouter à l'ordre du jour").click()
    expect(page.get_by_role("heading", name="2. Métallerie du Vimeu", exact=False)).to_be_visible()
    page.get_by_label("1. Boulangerie Lefèvre – Reprise du fonds").fill("HDFID étudie un prêt.")
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.get_by_text("Compte rendu : HDFID étudie un prêt.")).to_be_visible()
    verifier_axe(page)

    page.get_by_role("button", name="Enregistrer la décision").click()  # empty: errors, summarised
    expect(page.get_by_role("alert")).to_contain_text("La décision n'a pas pu être enregistrée")
    verifier_axe(page)

    page.get_by_role("link", name=amiens.nom).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(amiens.nom)
    expect(page.get_by_role("heading", name="Entreprises du territoire accompagnées")).to_be_visible()
    expect(page.get_by_role("link", name="Boulangerie Lefèvre")).to_be_visible()
    verifier_axe(page)


def test_the_partner_structures_pages_are_accessible(page, live_server, creer_agent, connecter, verifier_axe):
    from decimal import Decimal

    from crm.models import FinancementStructure, Indicateur
    from crm.tests.factories import StructureFactory
    from portal.models import Direction

    cci = StructureFactory(nom="CCI de test")
    annee = timezone.localdate().year
    for code, realise in [("DAEN", 350), ("DPRE", None)]:
        financement = FinancementStructure.objects.create(
            structure=cci, direction=Direction.objects.get(code=code), annee=annee, montant=Decimal(1000), objet=code
        )
        Indicateur.objects.create(financement=financement, libelle=f"Objectif {code}", cible=400, realise=realise)
    connecter(page, creer_agent(Role.PILOTAGE))
    page.goto(f"{live_server.url}/agents/crm/structures/plusieurs-directions/")
    expect(page.get_by_role("heading", name="CCI de test", exact=False)).to_be_visible()
    verifier_axe(page)
    page.get_by_role("link", name="CCI de test").first.click()
    page.get_by_role("button", name="Enregistrer le financement").click()  # empty: errors, summarised
    expect(page.get_by_role("alert")).to_contain_text("Le financement n'a pas pu être enregistré")
    verifier_axe(page)
