"""The instruction back office: inbox, transitions, complement requests, decisions, conflicts."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import Statut
from aides.demandes.tests.factories import (
    RepresentantFactory,
    demande_au_plafond_de_minimis,
    demande_deposee,
    demande_en_instruction,
)
from crm.timeline import chronologie
from portal.models import Direction, Notification
from portal.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_instructeur(client, instructeur):
    client.force_login(instructeur)
    return client


def texte(reponse) -> str:
    return unescape(reponse.content.decode())


def test_the_inbox_lists_deposited_files_only_in_bounded_queries(client_instructeur, django_assert_max_num_queries):
    deposees = [demande_deposee() for _ in range(4)]
    from aides.demandes.tests.factories import DemandeFactory

    brouillon = DemandeFactory()
    with django_assert_max_num_queries(18):  # + the instructeurs of the batch form
        reponse = client_instructeur.get(reverse("aides_instruction:boite"))
    html = texte(reponse)
    assert all(d.numero_depot in html for d in deposees)
    assert reverse("aides_instruction:demande", args=[brouillon.pk]) not in html


def test_the_inbox_filters_by_state_direction_and_dispositif(client_instructeur, instructeur):
    a_instruire = demande_en_instruction(instructeur)
    autre_direction = demande_deposee(dispositif=DispositifFactory(direction=Direction.objects.get(code="DIPI")))
    reponse = client_instructeur.get(reverse("aides_instruction:boite"), {"statut": Statut.EN_INSTRUCTION})
    assert a_instruire.numero_depot in texte(reponse) and autre_direction.numero_depot not in texte(reponse)
    dipi = Direction.objects.get(code="DIPI").pk
    reponse = client_instructeur.get(reverse("aides_instruction:boite"), {"direction": dipi})
    assert autre_direction.numero_depot in texte(reponse) and a_instruire.numero_depot not in texte(reponse)
    reponse = client_instructeur.get(
        reverse("aides_instruction:boite"), {"dispositif": a_instruire.dispositif_id, "mes_demandes": "on"}
    )
    assert a_instruire.numero_depot in texte(reponse) and autre_direction.numero_depot not in texte(reponse)


def test_the_inbox_filters_by_territory(client_instructeur):
    from crm.tests.factories import EtablissementFactory
    from territoires.models import Commune

    def a(code_insee):
        commune = Commune.objects.get(code_insee=code_insee)
        return demande_deposee(representant=RepresentantFactory(etablissement=EtablissementFactory(commune=commune)))

    amiens, lille = a("80021"), a("59350")
    boite = reverse("aides_instruction:boite")
    reponse = client_instructeur.get(boite, {"epci": amiens.etablissement.commune.epci_id})
    assert amiens.numero_depot in texte(reponse) and lille.numero_depot not in texte(reponse)
    reponse = client_instructeur.get(boite, {"departement": "59"})
    assert lille.numero_depot in texte(reponse) and amiens.numero_depot not in texte(reponse)


def test_the_inbox_runs_the_same_queries_for_two_or_eight_files(client_instructeur):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def requetes() -> int:
        with CaptureQueriesContext(connection) as capture:
            assert client_instructeur.get(reverse("aides_instruction:boite")).status_code == 200
        return len(capture)

    for _ in range(2):
        demande_deposee()
    peu = requetes()
    for _ in range(6):
        demande_deposee()
    assert requetes() == peu


def test_an_instructeur_takes_asks_a_complement_and_grants(client_instructeur, instructeur):
    demande = demande_deposee()
    url = reverse("aides_instruction:demande", args=[demande.pk])
    client_instructeur.post(reverse("aides_instruction:commencer", args=[demande.pk]), {"version": demande.version})
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_INSTRUCTION and demande.instructeur == instructeur
    reponse = client_instructeur.post(
        reverse("aides_instruction:complement", args=[demande.pk]),
        {"version": demande.version, "texte": "Le bilan 2025."},
    )
    assert reponse.url == url
    assert Notification.objects.filter(gabarit="demande_complement", destinataire=demande.demandeur.email).exists()
    from aides.demandes.services import demande as services

    services.complement_repondre(demande_id=demande.pk, par=demande.demandeur, texte="Ci-joint.", fichiers=[])
    demande.refresh_from_db()
    reponse = client_instructeur.post(
        reverse("aides_instruction:decider", args=[demande.pk]),
        {
            "version": demande.version,
            "decision": Statut.ACCORDEE,
            "motif": "Projet conforme au règlement.",
            "montant_accorde": "15 000",
            "date_commission": "2026-12-04",
            "numero_deliberation": "2026.04567",
        },
    )
    assert reponse.url == url
    demande.refresh_from_db()
    assert (demande.statut, demande.montant_accorde, demande.date_commission, demande.numero_deliberation) == (
        Statut.ACCORDEE,
        Decimal("15000"),
        date(2026, 12, 4),
        "2026.04567",
    )
    page = texte(client_instructeur.get(url))
    assert "Projet conforme au règlement." in page and "Accordée" in page
    assert "Brouillon → Déposée" in page and "En instruction → Accordée" in page and "Ci-joint." in page


def test_a_decision_on_a_page_read_before_another_agent_acted_is_refused_with_409(
    client_instructeur, instructeur, creer_agent
):
    demande = demande_en_instruction(instructeur)
    version_lue = demande.version
    from aides.demandes.services import demande as services

    collegue = creer_agent(Role.INSTRUCTEUR, first_name="Alex", last_name="Martin")
    services.demande_decider(
        demande_id=demande.pk, version=version_lue, par=collegue, decision=Statut.REFUSEE, motif="Hors cadre."
    )
    reponse = client_instructeur.post(
        reverse("aides_instruction:decider", args=[demande.pk]),
        {
            "version": version_lue,
            "decision": Statut.ACCORDEE,
            "motif": "Oui.",
            "montant_accorde": "1000",
            "date_commission": "2026-12-04",
            "numero_deliberation": "1",
        },
    )
    assert reponse.status_code == 409
    assert "Cette demande a été modifiée par Alex Martin" in texte(reponse)
    demande.refresh_from_db()
    assert demande.statut == Statut.REFUSEE and demande.motif_decision == "Hors cadre."


def test_the_page_shows_the_de_minimis_room_and_the_refusal_above_the_ceiling(client_instructeur, instructeur):
    demande = demande_au_plafond_de_minimis(instructeur)
    page = texte(client_instructeur.get(reverse("aides_instruction:demande", args=[demande.pk])))
    assert "280\u00a0000,00\u00a0€" in page and "20\u00a0000,00\u00a0€" in page
    reponse = client_instructeur.post(
        reverse("aides_instruction:decider", args=[demande.pk]),
        {
            "version": demande.version,
            "decision": Statut.ACCORDEE,
            "motif": "Oui.",
            "montant_accorde": "30000",
            "date_commission": "2026-12-04",
            "numero_deliberation": "2026.9",
        },
    )
    assert reponse.status_code == 400
    assert "Plafond de minimis dépassé" in texte(
        reponse
    ) and "Montant maximal possible : 20\u00a0000,00\u00a0€." in texte(reponse)
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_INSTRUCTION


def test_private_annotations_are_shown_to_staff(client_instructeur, instructeur):
    demande = demande_deposee()
    client_instructeur.post(reverse("aides_instruction:annoter", args=[demande.pk]), {"texte": "Appeler le dirigeant."})
    assert "Appeler le dirigeant." in texte(
        client_instructeur.get(reverse("aides_instruction:demande", args=[demande.pk]))
    )


def test_the_crm_timeline_shows_the_application_and_its_decision(instructeur):
    from aides.demandes.services import demande as services

    demande = demande_en_instruction(instructeur)
    services.demande_decider(
        demande_id=demande.pk, version=demande.version, par=instructeur, decision=Statut.REFUSEE, motif="Hors cadre."
    )
    evenements = [e for e in chronologie(demande.etablissement.entreprise) if e.genre == "demande"]
    assert [e.libelle for e in evenements] == ["Décision : refusée", "Demande déposée"]
    assert demande.numero_depot in evenements[1].titre


def _fichier_charge(instructeur, representant=None):
    from aides.demandes.services import demande as services

    kwargs = {"representant": representant} if representant else {}
    demande = demande_en_instruction(instructeur, lignes=[(f"Poste {i}", "5000") for i in range(8)], **kwargs)
    for i in range(3):
        services.annotation_ajouter(demande=demande, par=instructeur, texte=f"Note {i}")
    services.complement_demander(demande_id=demande.pk, version=demande.version, par=instructeur, texte="Bilan ?")
    services.complement_repondre(demande_id=demande.pk, par=demande.demandeur, texte="Voici.", fichiers=[])
    return demande


def test_the_file_page_runs_a_fixed_number_of_queries(client_instructeur, instructeur, django_assert_max_num_queries):
    demande = _fichier_charge(instructeur)
    with django_assert_max_num_queries(30):
        reponse = client_instructeur.get(reverse("aides_instruction:demande", args=[demande.pk]))
    assert reponse.status_code == 200


def test_the_company_file_page_runs_a_fixed_number_of_queries(client, instructeur, django_assert_max_num_queries):
    representant = RepresentantFactory()
    demande = _fichier_charge(instructeur, representant)
    client.force_login(representant.utilisateur)
    with django_assert_max_num_queries(20):
        reponse = client.get(reverse("espace:demande", args=[demande.pk]))
    assert reponse.status_code == 200


def test_the_file_page_flags_an_unverified_attachment_and_the_grant_is_refused(client_instructeur, instructeur):
    from aides.demandes.services import demande as services
    from aides.demandes.tests.factories import demandeur_non_verifie

    titulaire = RepresentantFactory()
    intrus = demandeur_non_verifie(titulaire.etablissement)
    demande = demande_en_instruction(instructeur, representant=intrus)
    page = texte(client_instructeur.get(reverse("aides_instruction:demande", args=[demande.pk])))
    assert (
        f'{intrus.utilisateur.email} (membre) <span class="badge text-bg-warning">rattachement à vérifier</span>'
        in page
    )
    assert "Rattachement non vérifié" in page and "ne peut pas être accordée" in page
    with pytest.raises(ValidationError) as erreur:
        services.demande_decider(
            demande_id=demande.pk,
            version=demande.version,
            par=instructeur,
            decision=Statut.ACCORDEE,
            motif="Conforme.",
            montant_accorde=Decimal("1000"),
            date_commission=timezone.localdate(),
            numero_deliberation="2026.01",
        )
    assert "Rattachement non vérifié" in erreur.value.message_dict["decision"][0]
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_INSTRUCTION
    # Once an administrator of the company verified the attachment, the same grant goes through.
    from aides.demandes.services import comptes as services_comptes

    services_comptes.rattachement_decider(membre_id=intrus.pk, par=titulaire.utilisateur, accepter=True)
    demande = services.demande_decider(
        demande_id=demande.pk,
        version=demande.version,
        par=instructeur,
        decision=Statut.ACCORDEE,
        motif="Conforme.",
        montant_accorde=Decimal("1000"),
        date_commission=timezone.localdate(),
        numero_deliberation="2026.01",
    )
    assert demande.statut == Statut.ACCORDEE
    page = texte(client_instructeur.get(reverse("aides_instruction:demande", args=[demande.pk])))
    assert "Rattachement non vérifié" not in page


def test_the_crm_company_page_shows_the_application_and_its_decision(agent_client, instructeur):
    from aides.demandes.services import demande as services

    demande = demande_en_instruction(instructeur)
    services.demande_decider(
        demande_id=demande.pk, version=demande.version, par=instructeur, decision=Statut.REFUSEE, motif="Hors cadre."
    )
    siren = demande.etablissement.entreprise.siren
    page = texte(agent_client.get(reverse("crm_agents:entreprise", args=[siren])))
    assert "Demande déposée" in page and "Décision : refusée" in page and demande.numero_depot in page
    assert reverse("aides_instruction:demande", args=[demande.pk]) in page
