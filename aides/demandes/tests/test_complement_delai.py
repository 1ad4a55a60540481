"""A complement request has a deadline, shown on both sides and reminded once (issue #13, item 20)."""

from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aides.demandes.models.demande import Message
from aides.demandes.services import demande as services
from aides.demandes.tests.factories import demande_en_instruction
from portal.models import Notification

pytestmark = pytest.mark.django_db


def test_a_complement_request_has_a_deadline_shown_and_reminded_once(client, instructeur, settings):
    settings.COMPLEMENT_DELAI_JOURS = 15
    demande = demande_en_instruction(instructeur)
    message = services.complement_demander(
        demande_id=demande.pk, version=demande.version, par=instructeur, texte="Le Kbis, s'il vous plaît."
    )
    echeance = timezone.localdate() + timedelta(days=15)
    assert message.repondre_avant == echeance
    courriel = Notification.objects.get(gabarit="demande_complement")
    assert f"avant le {echeance:%d/%m/%Y}" in courriel.corps_texte

    client.force_login(demande.demandeur)
    page = unescape(client.get(reverse("espace:demande", args=[demande.pk])).content.decode())
    assert f"fournir avant le {echeance:%d/%m/%Y}" in page
    client.force_login(instructeur)
    page = unescape(client.get(reverse("aides_instruction:demande", args=[demande.pk])).content.decode())
    assert f"fournir avant le {echeance:%d/%m/%Y}" in page

    assert services.complements_rappeler() == 0  # not yet
    with time_machine.travel(timezone.now() + timedelta(days=12)):
        assert services.complements_rappeler() == 1
        call_command("rappeler_complements")
        assert services.complements_rappeler() == 0  # once
    rappel = Notification.objects.get(gabarit="demande_complement_rappel")
    assert rappel.destinataire == demande.demandeur.email and f"{echeance:%d/%m/%Y}" in rappel.corps_texte


def test_an_answered_complement_is_not_reminded(instructeur):
    demande = demande_en_instruction(instructeur)
    services.complement_demander(demande_id=demande.pk, version=demande.version, par=instructeur, texte="Le Kbis.")
    services.complement_repondre(demande_id=demande.pk, par=demande.demandeur, texte="Le voici.", fichiers=[])
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        assert services.complements_rappeler() == 0
    assert Message.objects.filter(genre=Message.Genre.DEMANDE_COMPLEMENT, rappel_envoye_le__isnull=True).count() == 1


def test_an_answer_can_replace_a_document_of_the_file(client, instructeur, settings, tmp_path):
    from aides.demandes.tests.factories import DemandeFactory, fichier_pdf, piece_pour
    from portal.verification import fichier_verifier

    settings.MEDIA_ROOT = tmp_path
    brouillon = DemandeFactory()
    devis = piece_pour(brouillon, "devis-v1.pdf", type_piece="Devis")
    kbis = piece_pour(brouillon, "kbis.pdf", type_piece="Extrait Kbis")
    demande, _ = services.demande_deposer(demande_id=brouillon.pk, par=brouillon.demandeur)
    demande = services.instruction_commencer(demande_id=demande.pk, version=demande.version, par=instructeur)
    services.complement_demander(
        demande_id=demande.pk, version=demande.version, par=instructeur, texte="Le devis est périmé."
    )
    client.force_login(demande.demandeur)
    page = unescape(client.get(reverse("espace:demande", args=[demande.pk])).content.decode())
    assert "Remplace « devis-v1.pdf »" in page
    reponse = client.post(
        reverse("espace:repondre", args=[demande.pk]),
        {"texte": "Voici le nouveau devis.", "fichier_1": fichier_pdf("devis-v2.pdf"), "remplacer": [str(devis.pk)]},
    )
    assert reponse.status_code == 302
    devis.refresh_from_db()
    kbis.refresh_from_db()
    assert devis.remplacee_par is not None and devis.remplacee_par.texte == "Voici le nouveau devis."
    assert kbis.remplacee_par is None
    client.force_login(instructeur)
    page = unescape(client.get(reverse("aides_instruction:demande", args=[demande.pk])).content.decode())
    assert "devis-v1.pdf" in page and "remplacée par la réponse du" in page
    # Replacing needs a new document, and only a document of this file.
    demande.refresh_from_db()
    demande = services.complement_demander(
        demande_id=demande.pk, version=demande.version, par=instructeur, texte="Encore."
    ).demande
    with pytest.raises(ValidationError):
        services.complement_repondre(
            demande_id=demande.pk, par=demande.demandeur, texte="Sans fichier.", fichiers=[], remplacees=[kbis.pk]
        )
    autre = piece_pour(DemandeFactory(), "ailleurs.pdf")
    with pytest.raises(ValidationError):
        services.complement_repondre(
            demande_id=demande.pk,
            par=demande.demandeur,
            texte="Mauvaise pièce.",
            fichiers=[fichier_verifier(fichier_pdf("x.pdf"))],
            remplacees=[autre.pk],
        )
