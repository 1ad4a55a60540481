"""Uploaded files are portal.Documents too: stored « prêt » under a server name after the one checker,
deleted with their files only once the deletion commits, and purged when no row owns them any more."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from parcours.models import SyntheseParcours
from portal.documents import (
    GENRES,
    document_demander,
    document_deposer,
    documents_orphelins,
    documents_orphelins_purger,
    documents_supprimer,
    genre_enregistrer,
)
from portal.models import Document
from portal.verification import fichier_verifier

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]

GENRE = "essai.piece"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def genre_depose():
    genre_enregistrer(GENRE, lisible=lambda request, document: False, url_fichier=lambda document: "/")
    yield
    del GENRES[GENRE]


def deposer(nom: str = "Kbis <société>.pdf", contenu: bytes = PDF) -> Document:
    return document_deposer(fichier_verifier(SimpleUploadedFile(nom, contenu)), genre=GENRE)


def test_a_checked_upload_is_a_ready_document_under_a_server_name():
    document = deposer()
    document.refresh_from_db()
    assert document.pret and document.pret_le is not None and document.type_mime == "application/pdf"
    assert document.sha256 == hashlib.sha256(PDF).hexdigest() and document.taille == len(PDF)
    assert document.fichier.name.startswith("documents/essai-piece/") and "Kbis" not in document.fichier.name
    assert document.fichier.name.endswith(".pdf") and document.fichier.read() == PDF


def test_an_upload_refused_by_the_checker_stores_nothing():
    with pytest.raises(ValidationError) as erreur:
        deposer("macro.pdf", b"MZ\x90\x00 un executable")
    assert "format accepté" in erreur.value.messages[0]
    assert not Document.objects.exists()


def test_a_generated_kind_cannot_be_deposited_nor_an_uploaded_kind_generated():
    with pytest.raises(ValueError, match="inconnu"):
        document_deposer(fichier_verifier(SimpleUploadedFile("a.pdf", PDF)), genre="parcours.synthese")
    with pytest.raises(ValueError, match="inconnu"):
        document_demander(genre=GENRE)


def test_deleting_keeps_the_file_until_the_deletion_commits():
    document = deposer()
    nom, stockage = document.fichier.name, document.fichier.storage
    with pytest.raises(RuntimeError), transaction.atomic():
        documents_supprimer(Document.objects.filter(pk=document.pk))
        raise RuntimeError("annulé")
    assert Document.objects.filter(pk=document.pk).exists() and stockage.exists(nom)

    assert documents_supprimer(Document.objects.filter(pk=document.pk)) == 1
    assert not Document.objects.exists() and not stockage.exists(nom)


def test_the_nightly_purge_takes_old_documents_no_row_owns_and_only_those():
    orphelin, recent, possede = deposer(), deposer(), deposer()
    SyntheseParcours.objects.create(profil="taille=pme", document=possede)
    il_y_a_deux_jours = timezone.now() - timedelta(days=2)
    Document.objects.filter(pk__in=[orphelin.pk, possede.pk]).update(cree_le=il_y_a_deux_jours)

    assert list(documents_orphelins()) == [orphelin]
    assert documents_orphelins_purger() == 1
    assert set(Document.objects.values_list("pk", flat=True)) == {recent.pk, possede.pk}
    assert not orphelin.fichier.storage.exists(orphelin.fichier.name)
