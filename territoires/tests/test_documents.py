from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from territoires.models import PieceConvention
from territoires.tests.factories import ConventionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _deposer(client, convention, contenu: bytes, nom: str = "convention signée.pdf"):
    return client.post(
        f"/agents/territoires/conventions/{convention.pk}/documents/",
        {
            "fichier": SimpleUploadedFile(nom, contenu, content_type="application/pdf"),
            "description": "Exemplaire signé",
        },
    )


def test_a_pdf_is_stored_under_a_generated_name_and_downloaded_as_an_attachment(client, pilotage, media, agent_client):
    convention = ConventionFactory()
    client.force_login(pilotage)
    assert _deposer(client, convention, PDF).status_code == 302
    piece = PieceConvention.objects.get()
    fichier = piece.document.fichier
    assert fichier.name.startswith("documents/territoires-piece_convention/") and fichier.name.endswith(".pdf")
    assert "signée" not in fichier.name and piece.document.pret
    assert piece.nom_original == "convention signée.pdf" and piece.taille == len(PDF) and len(piece.sha256) == 64
    assert piece.document.sha256 == piece.sha256 and (media / fichier.name).read_bytes() == PDF

    reponse = agent_client.get(f"/agents/territoires/conventions/{convention.pk}/documents/{piece.pk}/")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"].startswith("attachment;")
    assert b"".join(reponse.streaming_content) == PDF


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(client, pilotage):
    convention = ConventionFactory()
    client.force_login(pilotage)
    reponse = _deposer(client, convention, b"MZ\x90\x00 not a pdf at all", nom="faux.pdf")
    assert reponse.status_code == 400
    assert "Ce fichier n'est pas un PDF" in unescape(reponse.content.decode())
    assert not PieceConvention.objects.exists()


def test_a_file_over_the_size_limit_is_refused_with_the_limit(client, pilotage, settings):
    settings.UPLOAD_MAX_BYTES = 50
    convention = ConventionFactory()
    client.force_login(pilotage)
    reponse = _deposer(client, convention, PDF)
    assert "la taille maximale est de" in unescape(reponse.content.decode())
    assert not PieceConvention.objects.exists()


def test_documents_are_for_agents_only_and_a_bad_id_is_a_404(pilotage, entreprise_client):
    convention = ConventionFactory()
    autre = ConventionFactory()
    client = Client()
    client.force_login(pilotage)
    _deposer(client, convention, PDF)
    piece = PieceConvention.objects.get()
    url = f"/agents/territoires/conventions/{convention.pk}/documents/{piece.pk}/"
    assert entreprise_client.get(url).status_code == 403
    assert client.get(f"/agents/territoires/conventions/{autre.pk}/documents/{piece.pk}/").status_code == 404
    assert client.get(f"/agents/territoires/conventions/{convention.pk}/documents/99999/").status_code == 404
