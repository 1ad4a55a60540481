"""The messaging of an application: free messages of either side, with files, read receipts and
emails, separate from complement requests (which keep their effect on the state)."""

import io
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes import demo as demo_demandes
from aides.demandes import demo_messagerie
from aides.demandes.models.avis import AvisExpert
from aides.demandes.models.demande import Message, Statut
from aides.demandes.models.espace import Membre
from aides.demandes.services import demande as services_demande
from aides.demandes.services.messagerie import echange_envoyer, echanges_marquer_lus
from aides.demandes.tests.factories import (
    DemandeFactory,
    MembreVerifieFactory,
    demande_deposee,
    demande_en_instruction,
    fichier_pdf,
    membre_de,
)
from portal import demo as portal_demo
from portal.models import Notification
from portal.roles import Role
from portal.verification import fichier_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructeur(creer_agent):
    return creer_agent(Role.INSTRUCTEUR)


def texte(reponse) -> str:
    return unescape(reponse.content.decode())


def test_the_company_writes_with_a_file_and_the_instruction_is_emailed_without_any_state_change(
    instructeur, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    demande = demande_en_instruction(instructeur)
    demande.instructeur = instructeur
    demande.save(update_fields=["instructeur"])
    message = echange_envoyer(
        demande_id=demande.pk,
        par=demande.demandeur,
        texte="Voici le devis actualisé.",
        fichiers=[fichier_verifier(fichier_pdf("devis-2.pdf"))],
    )
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_INSTRUCTION
    assert message.genre == Message.Genre.ECHANGE and not message.de_l_instruction and message.lu_le is None
    assert [p.nom_original for p in message.pieces.all()] == ["devis-2.pdf"]
    # The file belongs to the message, not to the application's required documents.
    assert not demande.pieces.filter(message=None).filter(nom_original="devis-2.pdf").exists()
    assert Notification.objects.filter(gabarit="demande_message_agent", destinataire=instructeur.email).exists()


def test_the_instruction_writes_to_the_company_while_a_complement_is_pending_without_answering_it(instructeur):
    demande = demande_en_instruction(instructeur)
    services_demande.complement_demander(
        demande_id=demande.pk, version=demande.version, par=instructeur, texte="Le Kbis, s'il vous plaît."
    )
    message = echange_envoyer(demande_id=demande.pk, par=instructeur, texte="Un Kbis de moins de 3 mois.")
    demande.refresh_from_db()
    assert demande.statut == Statut.COMPLEMENT_DEMANDE
    assert message.de_l_instruction
    assert Notification.objects.filter(gabarit="demande_message", destinataire=demande.demandeur.email).exists()
    # The company's free message does not answer the complement request either.
    echange_envoyer(demande_id=demande.pk, par=demande.demandeur, texte="Nous le cherchons.")
    demande.refresh_from_db()
    assert demande.statut == Statut.COMPLEMENT_DEMANDE


def test_no_message_on_a_draft_nor_an_empty_one_nor_from_staff_who_only_read(creer_agent):
    brouillon = DemandeFactory()
    with pytest.raises(ValidationError):
        echange_envoyer(demande_id=brouillon.pk, par=brouillon.demandeur, texte="Bonjour")
    demande = demande_deposee()
    with pytest.raises(ValidationError):
        echange_envoyer(demande_id=demande.pk, par=demande.demandeur, texte="   ")
    with pytest.raises(ValidationError):
        echange_envoyer(demande_id=demande.pk, par=creer_agent(Role.GESTIONNAIRE_SAF), texte="Bonjour")
    assert not Message.objects.filter(demande=demande).exists()


def test_read_receipts_are_per_side_and_keep_the_first_reading(instructeur, creer_agent):
    demande = demande_deposee()
    de_l_entreprise = echange_envoyer(demande_id=demande.pk, par=demande.demandeur, texte="Question")
    de_l_instruction = echange_envoyer(demande_id=demande.pk, par=instructeur, texte="Réponse")
    # SAF consults the file: that is not the instruction reading the message.
    assert echanges_marquer_lus(demande=demande, lecteur=creer_agent(Role.GESTIONNAIRE_SAF)) == 0
    assert echanges_marquer_lus(demande=demande, lecteur=instructeur) == 1
    de_l_entreprise.refresh_from_db()
    de_l_instruction.refresh_from_db()
    assert de_l_entreprise.lu_le is not None and de_l_instruction.lu_le is None
    premiere = de_l_entreprise.lu_le
    assert echanges_marquer_lus(demande=demande, lecteur=instructeur) == 0
    de_l_entreprise.refresh_from_db()
    assert de_l_entreprise.lu_le == premiere
    assert echanges_marquer_lus(demande=demande, lecteur=demande.demandeur) == 1


def test_the_company_page_shows_the_thread_marks_it_read_and_sends_a_message(client, instructeur, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demande = demande_deposee()
    echange_envoyer(demande_id=demande.pk, par=instructeur, texte="Pouvez-vous préciser le calendrier ?")
    client.force_login(demande.demandeur)
    reponse = client.get(reverse("espace:demande", args=[demande.pk]))
    assert "Pouvez-vous préciser le calendrier ?" in texte(reponse)
    assert Message.objects.get(demande=demande).lu_le is not None
    reponse = client.post(
        reverse("espace:message", args=[demande.pk]),
        {"message-texte": "Début en mars.", "message-fichier_1": fichier_pdf("planning.pdf")},
    )
    assert reponse.status_code == 302
    envoye = Message.objects.get(demande=demande, de_l_instruction=False)
    assert envoye.pieces.get().nom_original == "planning.pdf"
    reponse = client.get(reverse("espace:demande", args=[demande.pk]))
    assert "Pas encore lu par l'instruction" in texte(reponse)


def test_an_empty_message_shows_the_error_summary(client):
    demande = demande_deposee()
    client.force_login(demande.demandeur)
    reponse = client.post(reverse("espace:message", args=[demande.pk]), {"message-texte": ""})
    assert reponse.status_code == 400
    assert "Écrivez votre message." in texte(reponse)


def test_a_lecteur_reads_the_thread_but_may_not_write_and_another_company_gets_404(client):
    demande = demande_deposee()

    membre = Membre.objects.get(utilisateur=demande.demandeur)
    lecteur = membre_de(membre, role=Membre.Role.LECTEUR)
    client.force_login(lecteur.utilisateur)
    assert client.get(reverse("espace:demande", args=[demande.pk])).status_code == 200
    assert client.post(reverse("espace:message", args=[demande.pk]), {"message-texte": "x"}).status_code == 403
    autre = MembreVerifieFactory()
    client.force_login(autre.utilisateur)
    assert client.post(reverse("espace:message", args=[demande.pk]), {"message-texte": "x"}).status_code == 404
    assert not Message.objects.filter(demande=demande).exists()


def test_the_instruction_page_answers_in_the_thread(client, instructeur):
    demande = demande_deposee()
    echange_envoyer(demande_id=demande.pk, par=demande.demandeur, texte="Une question sur les dépenses.")
    client.force_login(instructeur)
    reponse = client.get(reverse("aides_instruction:demande", args=[demande.pk]))
    assert "Une question sur les dépenses." in texte(reponse)
    reponse = client.post(reverse("aides_instruction:message", args=[demande.pk]), {"message-texte": "Bien reçu."})
    assert reponse.status_code == 302
    assert Message.objects.filter(demande=demande, de_l_instruction=True, texte="Bien reçu.").exists()
    reponse = client.get(reverse("aides_instruction:demande", args=[demande.pk]))
    assert "Lu par l'entreprise" not in texte(reponse) and "Pas encore lu par l'entreprise" in texte(reponse)


def test_the_thread_pages_run_a_bounded_number_of_queries(
    client, instructeur, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path

    def ecrire(demande, n):
        for i in range(n):
            echange_envoyer(
                demande_id=demande.pk,
                par=demande.demandeur if i % 2 else instructeur,
                texte=f"Message {i}",
                fichiers=[fichier_verifier(fichier_pdf(f"p{i}.pdf"))],
            )

    demande = demande_deposee()
    ecrire(demande, 2)
    client.force_login(instructeur)
    with django_assert_max_num_queries(60) as peu:
        client.get(reverse("aides_instruction:demande", args=[demande.pk]))
    ecrire(demande, 8)
    with django_assert_max_num_queries(len(peu.captured_queries)):
        client.get(reverse("aides_instruction:demande", args=[demande.pk]))
    client.force_login(demande.demandeur)
    with django_assert_max_num_queries(60) as peu:
        client.get(reverse("espace:demande", args=[demande.pk]))
    ecrire(demande, 4)
    with django_assert_max_num_queries(len(peu.captured_queries)):
        client.get(reverse("espace:demande", args=[demande.pk]))


def test_the_demo_has_a_read_thread_and_an_opinion_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    portal_demo.charger(io.StringIO())
    DispositifFactory()
    demo_demandes.charger(io.StringIO())
    demo_messagerie.charger(io.StringIO())
    demo_messagerie.charger(io.StringIO())
    echanges = Message.objects.filter(genre=Message.Genre.ECHANGE, demande__demo=True)
    assert echanges.count() == 2 and all("(démo)" in m.texte for m in echanges)
    assert echanges.get(de_l_instruction=False).lu_le is not None
    assert AvisExpert.objects.filter(demo=True, rendu_le__isnull=False).count() == 1
