"""The decision letter is rendered by a real Celery worker after the decision commits (the one document
job of portal.documents), then the company is told and may download it."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from aides.demandes.models.lettre import LettreDecision
from aides.demandes.tests.factories import demande_en_instruction
from aides.demandes.tests.test_lettres import decider
from conftest import attendre
from portal.models import Document, Notification
from portal.roles import Role
from portal.tests.factories import AgentFactory
from territoires.chargement import territoires_charger


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_letter_after_the_decision_commits_and_the_company_is_told(client, celery_worker):
    territoires_charger()
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR])
    demande = decider(demande_en_instruction(instructeur), instructeur)
    lettre = attendre(
        lambda: LettreDecision.objects.filter(demande=demande, document__statut=Document.Statut.PRET).first(),
        delai=60,
    )
    assert lettre.numero == 1
    assert Notification.objects.filter(gabarit="demande_lettre", utilisateur=demande.demandeur).count() == 1
    client.force_login(demande.demandeur)
    reponse = client.get(reverse("espace:lettre", args=[demande.pk, lettre.pk]))
    assert reponse["Content-Disposition"] == f'attachment; filename="{lettre.nom_fichier}"'
    texte = PdfReader(io.BytesIO(b"".join(reponse.streaming_content))).pages[0].extract_text()
    assert "CP-2026-042" in " ".join(texte.split())
