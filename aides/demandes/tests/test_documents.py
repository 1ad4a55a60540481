"""Uploaded documents: checked by content, size and name; stored under generated names; the form
keeps everything else when a file is refused."""

import io
import os
import zipfile
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import Demande, PieceJointe
from aides.demandes.tests.factories import PDF_MINIMAL, fichier_pdf
from portal.models import Document
from portal.televersement import TeleversementPlafonne
from portal.verification import PDF_SEUL, fichier_verifier

EXECUTABLE_WINDOWS = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100
EXECUTABLE_LINUX = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100
PNG_MINIMAL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201"
    "a5d3c5e30000000049454e44ae426082"
)


def docx() -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return tampon.getvalue()


def odt() -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<document/>")
    return tampon.getvalue()


def message_de(fichier) -> str:
    with pytest.raises(ValidationError) as erreur:
        fichier_verifier(fichier)
    return erreur.value.messages[0]


# --- The checker ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nom", "contenu", "type_mime"),
    [
        ("devis.pdf", PDF_MINIMAL, "application/pdf"),
        ("photo.png", PNG_MINIMAL, "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 50, "image/jpeg"),
        ("statuts.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("statuts.odt", odt(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_types_are_recognised_by_their_content(nom, contenu, type_mime):
    verifie = fichier_verifier(SimpleUploadedFile(nom, contenu, content_type="application/octet-stream"))
    assert verifie.type_mime == type_mime and verifie.taille == len(contenu) and len(verifie.sha256) == 64


def test_a_real_xlsx_is_accepted():
    from openpyxl import Workbook

    tampon = io.BytesIO()
    Workbook().save(tampon)
    verifie = fichier_verifier(SimpleUploadedFile("budget.xlsx", tampon.getvalue()))
    assert verifie.type_mime.endswith("spreadsheetml.sheet")


@pytest.mark.parametrize("contenu", [EXECUTABLE_WINDOWS, EXECUTABLE_LINUX, b"<html><script>alert(1)</script>"])
def test_a_renamed_executable_or_script_is_refused_whatever_its_name(contenu):
    message = message_de(SimpleUploadedFile("facture.pdf", contenu, content_type="application/pdf"))
    assert message == (
        "Le fichier « facture.pdf » n'est pas d'un format accepté (son contenu a été vérifié). "
        "Formats acceptés : PDF, JPEG, PNG, XLSX, DOCX ou ODT."
    )


def test_an_empty_file_is_refused():
    assert (
        message_de(SimpleUploadedFile("vide.pdf", b""))
        == "Le fichier « vide.pdf » est vide. Choisissez le bon fichier."
    )


def test_a_file_above_the_configured_size_is_refused_with_both_sizes():
    gros = SimpleUploadedFile("gros.pdf", PDF_MINIMAL + b"0" * (11 * 1024 * 1024))
    assert message_de(gros) == "Le fichier « gros.pdf » pèse 11 Mo : la taille maximale est de 10 Mo par fichier."


def test_the_size_limit_follows_the_setting(settings):
    settings.UPLOAD_MAX_BYTES = 100
    assert "la taille maximale est de 1 Ko" in message_de(fichier_pdf(contenu=PDF_MINIMAL + b"0" * 200))


@pytest.mark.parametrize("nom", ["..\\..\\windows\\system.ini", "a\\..\\devis.pdf"])
def test_a_name_with_a_path_is_refused(nom):
    assert "il ne doit pas contenir de chemin" in message_de(SimpleUploadedFile(nom, PDF_MINIMAL))


def test_a_pdf_named_with_a_unix_path_keeps_no_path_and_is_refused():
    # Django keeps only the last part of the name ("passwd"): without .pdf it does not match its content.
    assert message_de(SimpleUploadedFile("../../etc/passwd", PDF_MINIMAL)) == (
        "Le nom du fichier « passwd » ne correspond pas à son contenu (PDF) : son nom doit finir par .pdf."
    )


def test_a_pdf_named_as_an_image_is_refused():
    assert message_de(SimpleUploadedFile("photo.png", PDF_MINIMAL)) == (
        "Le nom du fichier « photo.png » ne correspond pas à son contenu (PDF) : son nom doit finir par .pdf."
    )


def test_a_zip_that_is_not_an_office_document_is_refused():
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("virus.exe", EXECUTABLE_WINDOWS)
    assert "n'est pas d'un format accepté" in message_de(SimpleUploadedFile("document.docx", tampon.getvalue()))


# --- Through the application form -------------------------------------------------------------------


def formulaire(**fichiers) -> dict:
    return {
        "intitule": "Nouvelle ligne de production",
        "projet": "Description détaillée du projet.",
        "date_debut_projet": "2030-01-15",
        "montant_demande": "12 500,50",
        "lignes-TOTAL_FORMS": "3",
        "lignes-INITIAL_FORMS": "0",
        "lignes-0-nature": "Machine",
        "lignes-0-montant_ht": "40 000",
        "lignes-1-nature": "Formation",
        "lignes-1-montant_ht": "2 000,50",
        "action": "enregistrer",
        **fichiers,
    }


FICHIERS_REFUSES = {
    "executable renommé": (
        lambda: SimpleUploadedFile("devis.pdf", EXECUTABLE_WINDOWS),
        "n'est pas d'un format accepté",
    ),
    "fichier vide": (lambda: SimpleUploadedFile("devis.pdf", b""), "Le fichier est vide"),
    "11 Mo": (lambda: SimpleUploadedFile("devis.pdf", PDF_MINIMAL + b"0" * (11 * 1024 * 1024)), "pèse 11 Mo"),
    # The test client (like a browser) sends only the last part of the name: Django receives "passwd",
    # which has no accepted content nor extension.
    "../../etc/passwd": (
        lambda: SimpleUploadedFile("../../etc/passwd", PDF_MINIMAL),
        "ne correspond pas à son contenu",
    ),
}


@pytest.mark.parametrize("cas", FICHIERS_REFUSES)
def test_a_refused_file_shows_a_french_error_and_the_form_keeps_everything_else(client_entreprise, cas):
    fabrique, attendu = FICHIERS_REFUSES[cas]
    dispositif = DispositifFactory(documents_requis=["Devis", "Kbis"])
    reponse = client_entreprise.post(
        reverse("espace:nouvelle", args=[dispositif.slug]),
        formulaire(piece_0=fabrique(), piece_1=fichier_pdf("kbis.pdf")),
    )
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert attendu in html
    assert 'value="Nouvelle ligne de production"' in html and 'value="2 000,50"' in html
    assert "Description détaillée du projet." in html
    demande = Demande.objects.get()
    # The valid file of the same submission is kept, the refused one is not stored.
    assert list(demande.pieces.values_list("type_piece", "nom_original")) == [("Kbis", "kbis.pdf")]
    assert "kbis.pdf" in html
    # and so are the typed values: the draft is saved
    assert demande.intitule == "Nouvelle ligne de production" and demande.lignes.count() == 2
    assert f'action="{reverse("espace:modifier", args=[demande.pk])}"' in html


def test_a_right_file_is_stored_outside_static_under_a_generated_name(client_entreprise):
    dispositif = DispositifFactory(documents_requis=["Devis"])
    reponse = client_entreprise.post(
        reverse("espace:nouvelle", args=[dispositif.slug]), formulaire(piece_0=fichier_pdf("Mon devis (v2).pdf"))
    )
    demande = Demande.objects.get()
    assert reponse.status_code == 302 and reponse.url == reverse("espace:modifier", args=[demande.pk])
    piece = PieceJointe.objects.get()
    chemin = Path(piece.document.fichier.path)
    assert chemin.is_relative_to(Path(settings.MEDIA_ROOT) / "documents" / "aides-piece")
    assert "devis" not in chemin.name.lower() and chemin.suffix == ".pdf"
    assert chemin.read_bytes() == PDF_MINIMAL
    assert piece.nom_original == "Mon devis (v2).pdf" and piece.type_piece == "Devis"


def test_download_goes_through_a_view_with_content_disposition(client_entreprise, representant):
    dispositif = DispositifFactory(documents_requis=["Devis"])
    client_entreprise.post(
        reverse("espace:nouvelle", args=[dispositif.slug]), formulaire(piece_0=fichier_pdf("devis.pdf"))
    )
    piece = PieceJointe.objects.get()
    reponse = client_entreprise.get(reverse("espace:piece", args=[piece.pk]))
    assert reponse.status_code == 200
    assert reponse["Content-Disposition"] == 'attachment; filename="devis.pdf"'
    assert reponse["Content-Type"] == "application/pdf"
    assert b"".join(reponse.streaming_content) == PDF_MINIMAL


def test_a_validation_error_elsewhere_keeps_the_uploaded_file(client_entreprise):
    dispositif = DispositifFactory(documents_requis=["Devis"])
    donnees = formulaire(piece_0=fichier_pdf("devis.pdf"))
    donnees["montant_demande"] = "douze mille"
    reponse = client_entreprise.post(reverse("espace:nouvelle", args=[dispositif.slug]), donnees)
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert "Saisissez un montant en euros, par exemple 12 500,50." in html
    assert 'value="douze mille"' in html
    assert "devis.pdf" in html and PieceJointe.objects.count() == 1


def test_a_raw_multipart_name_with_dot_dot_never_reaches_the_disk_outside_media(client_entreprise):
    """A hand-made request (not a browser) with filename="../../etc/passwd"."""
    dispositif = DispositifFactory(documents_requis=["Devis"])
    limite = "----limite"
    corps = (
        (
            f'--{limite}\r\nContent-Disposition: form-data; name="intitule"\r\n\r\nMon projet\r\n'
            f'--{limite}\r\nContent-Disposition: form-data; name="lignes-TOTAL_FORMS"\r\n\r\n0\r\n'
            f'--{limite}\r\nContent-Disposition: form-data; name="lignes-INITIAL_FORMS"\r\n\r\n0\r\n'
            f'--{limite}\r\nContent-Disposition: form-data; name="piece_0"; filename="../../etc/passwd"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF_MINIMAL
        + f"\r\n--{limite}--\r\n".encode()
    )
    reponse = client_entreprise.generic(
        "POST",
        reverse("espace:nouvelle", args=[dispositif.slug]),
        corps,
        content_type=f"multipart/form-data; boundary={limite}",
    )
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert "ne correspond pas à son contenu" in html and 'value="Mon projet"' in html
    assert PieceJointe.objects.count() == 0


# --- Huge uploads: the upload handler stores at most UPLOAD_MAX_BYTES + 1 bytes of a file ------------


class TeleversementObserve(TeleversementPlafonne):
    """The project's handler, recording what each file left on disk (the test's only addition)."""

    sur_disque: list[tuple[str, int, int]] = []

    def file_complete(self, file_size):
        fichier = super().file_complete(file_size)
        fichier.file.flush()
        TeleversementObserve.sur_disque.append(
            (fichier.name, fichier.taille_stockee, os.path.getsize(fichier.temporary_file_path()))
        )
        return fichier


@pytest.fixture
def televersement_observe(settings):
    TeleversementObserve.sur_disque = []
    settings.FILE_UPLOAD_HANDLERS = [
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        f"{__name__}.TeleversementObserve",
    ]
    return TeleversementObserve.sur_disque


def test_the_project_uses_the_capped_upload_handler():
    assert "portal.televersement.TeleversementPlafonne" in settings.FILE_UPLOAD_HANDLERS


def test_a_12_mb_upload_is_refused_with_its_real_size_without_storing_it_and_keeps_the_form(
    client_entreprise, televersement_observe
):
    dispositif = DispositifFactory(documents_requis=["Devis", "Kbis"])
    gros = SimpleUploadedFile("devis.pdf", PDF_MINIMAL + b"0" * (12 * 1024 * 1024))
    # The big file comes first in the request: what follows it must still be read.
    envoi = {"piece_0": gros, **formulaire(piece_1=fichier_pdf("kbis.pdf"))}
    reponse = client_entreprise.post(reverse("espace:nouvelle", args=[dispositif.slug]), envoi)
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert "Le fichier « devis.pdf » pèse 12 Mo : la taille maximale est de 10 Mo par fichier." in html
    # the fields sent after the file in the request still arrived, and the other file was stored
    assert 'value="Nouvelle ligne de production"' in html and 'value="2 000,50"' in html
    demande = Demande.objects.get()
    assert list(demande.pieces.values_list("type_piece", "nom_original")) == [("Kbis", "kbis.pdf")]
    assert demande.lignes.count() == 2
    # at most the limit plus one byte of the 12 MB was written to the temporary file
    (nom, stockes, sur_disque) = next(f for f in televersement_observe if f[0] == "devis.pdf")
    assert stockes == sur_disque == settings.UPLOAD_MAX_BYTES + 1


def test_a_normal_file_above_the_memory_threshold_goes_through_the_capped_handler_whole(
    client_entreprise, televersement_observe
):
    dispositif = DispositifFactory(documents_requis=["Devis"])
    contenu = PDF_MINIMAL + b"0" * (3 * 1024 * 1024)  # above FILE_UPLOAD_MAX_MEMORY_SIZE: a temporary file
    reponse = client_entreprise.post(
        reverse("espace:nouvelle", args=[dispositif.slug]), formulaire(piece_0=fichier_pdf("devis.pdf", contenu))
    )
    assert reponse.status_code == 302
    piece = PieceJointe.objects.get()
    assert piece.taille == len(contenu) and piece.document.fichier.read() == contenu
    assert televersement_observe == [("devis.pdf", len(contenu), len(contenu))]


def test_the_handler_marks_a_truncated_file_and_the_checker_refuses_it_by_its_real_size_even_pdf_only(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    handler = TeleversementPlafonne()
    handler.new_file("piece_0", "gros.pdf", "application/pdf", None)
    contenu = PDF_MINIMAL + b"0" * 5000
    for debut in range(0, len(contenu), 700):
        assert handler.receive_data_chunk(contenu[debut : debut + 700], debut) is None
    fichier = handler.file_complete(len(contenu))
    assert (fichier.size, fichier.taille_reelle, fichier.taille_stockee) == (len(contenu), len(contenu), 1001)
    assert fichier.trop_volumineux and len(fichier.read()) == 1001
    assert "pèse 5 Ko : la taille maximale est de 1 Ko par fichier" in message_de(fichier)
    with pytest.raises(ValidationError) as erreur:
        fichier_verifier(fichier, formats=PDF_SEUL)
    assert erreur.value.code == "taille"
    fichier.close()


def vieillir(en_attente, jours: int = 2) -> None:
    from datetime import timedelta

    Document.objects.filter(pk=en_attente.document).update(cree_le=timezone.now() - timedelta(days=jours))


def stocke(en_attente) -> bool:
    from django.core.files.storage import default_storage

    document = Document.objects.filter(pk=en_attente.document).first()
    return document is not None and default_storage.exists(document.fichier.name)


@pytest.mark.django_db
def test_waiting_files_older_than_their_validity_are_purged(django_capture_on_commit_callbacks):
    from aides.demandes.documents import fichier_mettre_en_attente, fichiers_en_attente_purger

    recent = fichier_mettre_en_attente(fichier_verifier(fichier_pdf("recent.pdf")))
    vieux = fichier_mettre_en_attente(fichier_verifier(fichier_pdf("vieux.pdf")))
    nom = Document.objects.get(pk=vieux.document).fichier.name
    assert stocke(recent) and stocke(vieux) and nom.startswith("documents/aides-en_attente/")
    vieillir(vieux)
    with django_capture_on_commit_callbacks(execute=True):
        assert fichiers_en_attente_purger() == 1
    assert stocke(recent) and not Document.objects.filter(pk=vieux.document).exists()
    from django.core.files.storage import default_storage

    assert not default_storage.exists(nom)


@pytest.mark.django_db
def test_the_purge_command_deletes_old_waiting_files(django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    from aides.demandes.documents import fichier_mettre_en_attente

    vieux = fichier_mettre_en_attente(fichier_verifier(fichier_pdf("oublie.pdf")))
    vieillir(vieux)
    sortie = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purger_fichiers_en_attente", stdout=sortie)
    assert not stocke(vieux)
    assert "1 fichier(s) en attente supprimé(s)" in sortie.getvalue()
