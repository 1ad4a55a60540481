"""A decision letter waits on its pages with the one poller (static/js/document-en-preparation.js), next
to the receipt on the company's page: each link appears by itself once its document is stored, the
company's pointing to its own download view, the instruction page's to the staff's."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from aides.demandes.models.demande import Statut
from aides.demandes.services import demande as services
from aides.demandes.tests.factories import demande_en_instruction
from conftest import connexion_navigateur
from portal.documents import document_stocker
from portal.roles import Role
from portal.tests.factories import AgentFactory
from territoires.chargement import territoires_charger

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def decidee(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    territoires_charger()
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR])
    demande = demande_en_instruction(instructeur)
    services.demande_decider(
        demande_id=demande.pk,
        version=demande.version,
        par=instructeur,
        decision=Statut.ACCORDEE,
        motif="Projet créateur d'emplois.",
        montant_accorde=Decimal("15000"),
        date_commission=timezone.localdate() - timedelta(days=1),
        numero_deliberation="CP-2026-042",
    )
    demande.refresh_from_db()
    return demande, instructeur


def test_the_company_page_polls_the_receipt_and_the_letter_and_shows_both_links(
    page, live_server, mot_de_passe, verifier_axe, decidee
):
    demande, _ = decidee
    lettre = demande.lettres.get()
    assert demande.recepisse.en_preparation and lettre.document.en_preparation
    connexion_navigateur(page, live_server.url, demande.demandeur, mot_de_passe)
    page.goto(f"{live_server.url}{reverse('espace:demande', args=[demande.pk])}")
    assert page.get_by_text("Une lettre de décision est en préparation.").is_visible()
    verifier_axe(page)

    document_stocker(demande.recepisse, contenu=b"%PDF-1.4 recu")  # what the worker does when done
    document_stocker(lettre.document, contenu=b"%PDF-1.4 lettre")

    lien = page.get_by_role("link", name="Télécharger la lettre de décision (PDF)")
    lien.wait_for(timeout=10000)
    assert lien.get_attribute("href") == reverse("espace:lettre", args=[demande.pk, lettre.pk])
    recu = page.get_by_role("link", name="Télécharger le récépissé (PDF)")
    recu.wait_for(timeout=10000)
    assert recu.get_attribute("href") == reverse("espace:recepisse", args=[demande.pk])
    assert page.locator("#etat-lettre").inner_text().startswith("La lettre de décision est prête.")


def test_the_instruction_page_links_the_ready_letter_to_the_staff_download(page, live_server, mot_de_passe, decidee):
    demande, instructeur = decidee
    lettre = demande.lettres.get()
    connexion_navigateur(page, live_server.url, instructeur, mot_de_passe)
    page.goto(f"{live_server.url}{reverse('aides_instruction:demande', args=[demande.pk])}")
    assert page.get_by_text("Une lettre de décision est en préparation.").is_visible()

    document_stocker(lettre.document, contenu=b"%PDF-1.4 lettre")

    lien = page.get_by_role("link", name="Télécharger la lettre de décision (PDF)")
    lien.wait_for(timeout=10000)
    assert lien.get_attribute("href") == reverse("aides_instruction:lettre", args=[demande.pk, lettre.pk])
