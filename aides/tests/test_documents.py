"""Uploaded documents: checked by content, size and name; stored under generated names; the form
keeps everything else when a file is refused."""

import io
import zipfile
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aides.documents import fichier_verifier
from aides.models import Demande, PieceJointe
from aides.tests.factories import DispositifFactory
from aides.tests.factories_demande import PDF_MINIMAL, RepresentantFactory, fichier_pdf

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


@pytest.fixture
def representant(db):
    return RepresentantFactory()


@pytest.fixture
def client_entreprise(client, representant):
    client.force_login(representant.utilisateur)
    return client


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
    chemin = Path(piece.fichier.path)
    assert chemin.is_relative_to(Path(settings.MEDIA_ROOT) / "demandes")
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
