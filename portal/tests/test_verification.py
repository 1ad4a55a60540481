"""The one upload checker (portal.verification): what a PDF-only upload adds to the general rules."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.verification import PDF_SEUL, fichier_verifier

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201"
    "a5d3c5e30000000049454e44ae426082"
)


def refus(nom: str, contenu: bytes, **options) -> ValidationError:
    with pytest.raises(ValidationError) as erreur:
        fichier_verifier(SimpleUploadedFile(nom, contenu), **options)
    return erreur.value


def test_a_whole_pdf_is_accepted_pdf_only_with_its_size_hash_and_display_name():
    verifie = fichier_verifier(SimpleUploadedFile("../convention signée.pdf", PDF), formats=PDF_SEUL)
    assert (verifie.nom_original, verifie.taille, verifie.type_mime) == (
        "convention signée.pdf",
        len(PDF),
        "application/pdf",
    )
    assert len(verifie.sha256) == 64


def test_an_image_is_refused_where_only_a_pdf_is_accepted_with_the_pdf_message():
    assert fichier_verifier(SimpleUploadedFile("plan.png", PNG)).type_mime == "image/png"
    erreur = refus("plan.png", PNG, formats=PDF_SEUL)
    assert erreur.code == "type" and "Ce fichier n'est pas un PDF" in erreur.messages[0]


def test_a_truncated_pdf_is_refused_where_only_a_pdf_is_accepted():
    erreur = refus("signee.pdf", PDF[:-8], formats=PDF_SEUL)
    assert erreur.code == "pdf_incomplet" and "incomplet ou endommagé" in erreur.messages[0]


def test_the_end_of_file_marker_is_found_across_two_chunks():
    contenu = (
        PDF[:-7] + b"0" * (64 * 1024 - len(PDF) + 5) + b"%%EOF\n"
    )  # « %% » ends one chunk, « EOF » starts the next
    fichier = SimpleUploadedFile("long.pdf", contenu)
    fichier.DEFAULT_CHUNK_SIZE = 64 * 1024
    assert fichier_verifier(fichier, formats=PDF_SEUL).taille == len(contenu)


def test_a_format_outside_the_accepted_list_is_refused_in_french():
    erreur = refus("plan.png", PNG, formats={"pdf", "jpeg"})
    assert erreur.code == "type" and "n'est pas d'un format accepté" in erreur.messages[0]
