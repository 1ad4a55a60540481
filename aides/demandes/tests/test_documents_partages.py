"""The stored files of applications and company accounts are portal.Documents: a piece taken from the
safe shares the safe's file; deleting or replacing a piece, a justificatif or an act of delegation
deletes its file, never one another row still uses."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from aides.demandes.models.demande import PieceJointe
from aides.demandes.services import demande as services
from aides.demandes.services.comptes import capacite_definir, rattachement_creer, rattachement_decider
from aides.demandes.tests.factories import (
    DemandeFactory,
    RepresentantFactory,
    fichier_pdf,
    membre_de,
    piece_pour,
)
from aides.demandes.tests.factories_formulaire import kbis_au_coffre
from portal.models import Document
from portal.tests.factories import UserFactory
from portal.verification import fichier_verifier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def representant():
    return RepresentantFactory()


def stocke(document_id) -> bool:
    document = Document.objects.filter(pk=document_id).first()
    return document is not None and default_storage.exists(document.fichier.name)


def test_a_piece_taken_from_the_safe_shares_its_file_and_removing_it_keeps_the_safes(
    representant, django_capture_on_commit_callbacks
):
    coffre = kbis_au_coffre(representant)
    piece = services.piece_ajouter(
        demande=DemandeFactory(representant=representant), coffre=coffre, par=representant.utilisateur
    )
    assert piece.document_id == coffre.document_id and Document.objects.count() == 1  # nothing copied
    with django_capture_on_commit_callbacks(execute=True):
        services.piece_supprimer(piece=piece)
    assert not PieceJointe.objects.exists() and stocke(coffre.document_id)


def test_removing_or_replacing_a_piece_deletes_its_file(client, representant, django_capture_on_commit_callbacks):
    demande = DemandeFactory(representant=representant)
    premiere = piece_pour(demande, type_piece="Devis")
    nom = premiere.document.fichier.name
    with django_capture_on_commit_callbacks(execute=True):
        seconde = piece_pour(demande, nom="devis-v2.pdf", type_piece="Devis")  # a required document: replaced
    assert not Document.objects.filter(pk=premiere.document_id).exists() and not default_storage.exists(nom)
    assert stocke(seconde.document_id)
    client.force_login(representant.utilisateur)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("espace:piece-retirer", args=[seconde.pk])).status_code == 302
    assert not PieceJointe.objects.exists() and not Document.objects.exists()
    assert not default_storage.exists(seconde.document.fichier.name)


def test_a_new_request_and_a_new_act_of_delegation_replace_the_old_files(
    representant, django_capture_on_commit_callbacks
):
    demandeur = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        premier = rattachement_creer(
            utilisateur=demandeur,
            etablissement=representant.etablissement,
            justificatif=fichier_verifier(fichier_pdf("kbis.pdf")),
        )
        ancien = premier.justificatif_id
        rattachement_decider(membre_id=premier.pk, par=representant.utilisateur, accepter=False, motif="Inconnu")
        second = rattachement_creer(
            utilisateur=demandeur,
            etablissement=representant.etablissement,
            justificatif=fichier_verifier(fichier_pdf("mandat.pdf")),
        )
    assert not Document.objects.filter(pk=ancien).exists() and stocke(second.justificatif_id)

    comptable = membre_de(representant)
    debut = timezone.localdate()
    actes = []
    for nom in ("delegation.pdf", "delegation-2.pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            membre = capacite_definir(
                membre_id=comptable.pk,
                par=representant.utilisateur,
                capacite="delegataire",
                delegation_de="Jean Martin, gérant",
                debut=debut,
                fin=debut + timedelta(days=30),
                document=fichier_verifier(fichier_pdf(nom)),
            )
        actes.append(membre.delegation_document)
    assert not Document.objects.filter(pk=actes[0].pk).exists() and not default_storage.exists(actes[0].fichier.name)
    assert stocke(actes[1].pk)
