"""The EPCI's « documents à signer ou à relire »: its conventions to sign or renew, the aids it
co-finances, its reviews' agendas and minutes; its signature goes through the conventions' services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from aides.conventions.tests.factories import convention_creee
from crm.models import PointRevue
from crm.tests.factories import EntrepriseFactory
from partenaires import selectors_documents, services_diffusion, services_epci
from portal.models import Notification
from portal.roles import Role
from portal.tests.factories import AgentFactory
from portal.tests.second_facteur import code_totp
from territoires import services as territoires_services
from territoires.models import (
    Affectation,
    Commune,
    ConventionTerritoriale,
    EcheanceConventionnement,
    RevueDeProjets,
    TypeConvention,
)
from territoires.tests.factories import ConventionFactory

from .factories import MembreEpciFactory

pytestmark = pytest.mark.django_db
Statut = ConventionTerritoriale.Statut


def jour(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def epci():
    return Commune.objects.get(code_insee="80021").epci


@pytest.fixture
def a_signer(epci):
    return ConventionFactory(
        epci=epci,
        type=TypeConvention.CADRE,
        statut=Statut.EN_NEGOCIATION,
        date_debut=jour(60),
        date_fin=jour(1000),
        signataire_epci="",
        intitule="Convention cadre 2027-2029",
    )


@pytest.fixture
def membre(epci):
    return MembreEpciFactory(epci=epci, utilisateur__first_name="Inès", utilisateur__last_name="Morel").utilisateur


@pytest.fixture
def monde(epci, a_signer):
    """One line of each kind for Amiens' EPCI, and one convention to sign for another EPCI."""
    ConventionFactory(epci=epci, type=TypeConvention.AIDES)  # in force for two more years: not listed
    ConventionFactory(epci=epci, type=TypeConvention.AUTORISATION, date_fin=jour(30), intitule="Autorisation 2024")
    ConventionFactory(
        epci=epci,
        type=TypeConvention.STRATEGIQUE,
        statut=Statut.PROJET,
        intitule="Stratégie 2027",
        date_debut=jour(200),
        date_fin=jour(900),
        signataire_epci="",
    )
    EcheanceConventionnement.objects.create(type=TypeConvention.CADRE, date=jour(20))
    cofinancee = convention_creee(part_epci=Decimal("5000"), epci=epci)
    prochaine = RevueDeProjets.objects.create(date=jour(12), lieu="Amiens")
    tenue = RevueDeProjets.objects.create(date=jour(-10), lieu="Amiens", statut=RevueDeProjets.Statut.TENUE)
    ancienne = RevueDeProjets.objects.create(date=jour(-200), lieu="Amiens", statut=RevueDeProjets.Statut.TENUE)
    for revue in (prochaine, tenue, ancienne):
        revue.epcis.add(epci)
    PointRevue.objects.create(revue=tenue, entreprise=EntrepriseFactory(), sujet="Extension", compte_rendu="Accord.")
    PointRevue.objects.create(revue=ancienne, entreprise=EntrepriseFactory(), sujet="Vieux", compte_rendu="Vu.")
    ailleurs = ConventionFactory(
        type=TypeConvention.CADRE,
        statut=Statut.EN_NEGOCIATION,
        intitule="Convention de Lille",
        epci=Commune.objects.get(code_insee="59350").epci,
        signataire_epci="",
    )
    return {"cofinancee": cofinancee, "prochaine": prochaine, "tenue": tenue, "ailleurs": ailleurs}


def test_every_document_the_epci_must_sign_or_review_is_listed_with_state_deadline_and_action(epci, a_signer, monde):
    lignes = selectors_documents.documents_epci(epci)
    resume = [(d.genre, d.etat, d.echeance, d.action) for d in lignes]
    assert resume[0] == ("Convention territoriale", "En négociation", jour(20), "signer")  # the deadline, first
    assert ("Convention territoriale", "Projet", jour(200), "information") in resume
    assert ("Convention territoriale", "En vigueur", jour(30), "preparer") in resume
    cofinancement = next(d for d in lignes if d.genre == "Cofinancement d'une aide")
    assert cofinancement.etat == "À éditer" and cofinancement.montant == Decimal("5000")
    assert cofinancement.echeance == monde["cofinancee"].date_caducite
    revues = [(d.titre, d.action) for d in lignes if d.genre == "Revue de projets"]
    assert revues == [  # dated lines first
        (f"Ordre du jour de la revue du {jour(12):%d/%m/%Y}", "relire"),
        (f"Compte rendu de la revue du {jour(-10):%d/%m/%Y}", "relire"),
    ]
    assert len(lignes) == 6  # nothing of another EPCI, of a convention in force, of an old review
    assert "Convention de Lille" not in [d.titre for d in lignes]


def test_a_co_financed_company_is_named_only_while_it_agrees(epci, monde):
    cofinancee = monde["cofinancee"]
    entreprise, administrateur = cofinancee.etablissement.entreprise, cofinancee.demande.demandeur

    def titre():
        return next(d.titre for d in selectors_documents.documents_epci(epci) if d.genre.startswith("Cofinancement"))

    assert entreprise.denomination not in titre() and "une entreprise d'Amiens" in titre().replace("de A", "d'A")
    services_diffusion.accord_diffusion_donner(entreprise=entreprise, portee="partenaires", par=administrateur)
    assert entreprise.denomination in titre()
    services_diffusion.accord_diffusion_retirer(entreprise=entreprise, portee="partenaires", par=administrateur)
    assert entreprise.denomination not in titre()


def test_the_epci_signs_with_password_and_code_then_the_region_declares_it_signed(
    client, epci, a_signer, membre, mot_de_passe
):
    charge = AgentFactory(roles=[Role.CHARGE_DE_MISSION])
    Affectation.objects.create(agent=charge, epci=epci, direction=charge.direction)
    client.force_login(membre)
    page = client.get(reverse("partenaires:epci")).content.decode()
    assert "Signer pour l&#x27;EPCI" in page and escape("Convention cadre 2027-2029") in page
    staff = Client()
    staff.force_login(charge)
    page = staff.get(reverse("territoires_agents:convention-detail", args=[a_signer.pk])).content.decode()
    assert "L'EPCI n'a pas encore signé cette convention dans son espace (1 membre" in page

    url = reverse("partenaires:convention-signer", args=[a_signer.pk])
    reponse = client.post(url, {"mot_de_passe": mot_de_passe, "code": "000000"}, follow=True)
    assert escape("la convention n'est pas signée") in reponse.content.decode()
    a_signer.refresh_from_db()
    assert a_signer.signataire_epci == ""

    reponse = client.post(url, {"mot_de_passe": mot_de_passe, "code": code_totp(membre)})
    assert reponse.status_code == 302 and reponse["Location"].endswith("#documents")
    a_signer.refresh_from_db()
    assert a_signer.signataire_epci.startswith("Inès Morel") and a_signer.statut == Statut.EN_NEGOCIATION
    assert a_signer.history.first().history_user == membre  # who signed and when, in its history
    assert Notification.objects.filter(gabarit="partenaires_convention_signee_epci", destinataire=charge.email).exists()
    ligne = selectors_documents.documents_epci(epci)[0]
    assert ligne.action == "information" and "en attente de la Région" in ligne.etat

    with pytest.raises(ValidationError, match="déjà signé"):
        services_epci.convention_signer_epci(
            convention_id=a_signer.pk, par=membre, mot_de_passe=mot_de_passe, code=code_totp(membre)
        )
    client.force_login(charge)
    page = client.get(reverse("territoires_agents:convention-detail", args=[a_signer.pk])).content.decode()
    assert "Signée pour l'EPCI par <strong>Inès Morel" in page
    territoires_services.convention_changer_statut(convention=a_signer, statut=Statut.SIGNEE, par=charge)
    a_signer.refresh_from_db()
    assert a_signer.statut == Statut.SIGNEE


def test_only_a_negotiated_convention_of_its_own_epci_is_signed(client, epci, membre, monde, mot_de_passe):
    projet = ConventionTerritoriale.objects.get(intitule="Stratégie 2027")
    with pytest.raises(ValidationError, match="n'attend pas la signature"):
        services_epci.convention_signer_epci(
            convention_id=projet.pk, par=membre, mot_de_passe=mot_de_passe, code=code_totp(membre)
        )
    with pytest.raises(PermissionDenied):
        services_epci.convention_signer_epci(
            convention_id=monde["ailleurs"].pk, par=membre, mot_de_passe=mot_de_passe, code=code_totp(membre)
        )
    client.force_login(membre)
    url = reverse("partenaires:convention-signer", args=[monde["ailleurs"].pk])
    assert client.post(url, {"mot_de_passe": mot_de_passe, "code": code_totp(membre)}).status_code == 404
    assert client.get(reverse("partenaires:convention-signer", args=[projet.pk])).status_code == 405


@pytest.mark.parametrize("qui", ["partenaire", "entreprise", "agent"])
def test_no_one_else_signs_for_the_epci(client, a_signer, qui, utilisateur_entreprise):
    from .factories import MembreFactory

    user = {
        "partenaire": lambda: MembreFactory().utilisateur,
        "entreprise": lambda: utilisateur_entreprise,
        "agent": lambda: AgentFactory(roles=[Role.PILOTAGE]),
    }[qui]()
    client.force_login(user)
    reponse = client.post(
        reverse("partenaires:convention-signer", args=[a_signer.pk]), {"mot_de_passe": "x", "code": "1"}
    )
    assert reponse.status_code == 404
    a_signer.refresh_from_db()
    assert a_signer.signataire_epci == ""


def test_the_epci_page_with_documents_runs_a_bounded_number_of_queries(
    client, membre, monde, django_assert_max_num_queries
):
    client.force_login(membre)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("partenaires:epci")).content.decode()
    assert "Documents à signer ou à relire (6)" in page
