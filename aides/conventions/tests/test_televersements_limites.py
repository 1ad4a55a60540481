"""Uploads: macro-enabled Office files refused by content, quotas per application and per company
account, payment proofs and convention PDFs served as attachments."""

import io
import zipfile
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import PieceJointe
from aides.demandes.services import demande as services
from aides.demandes.tests.factories import DemandeFactory, fichier_pdf
from portal.verification import fichier_verifier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def archive(entrees: dict[str, str | bytes]) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as zip_:
        for nom, contenu in entrees.items():
            zip_.writestr(nom, contenu)
    return tampon.getvalue()


TYPES_DOCM = (
    '<Types><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
)
TYPES_XLSM = (
    '<Types><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
)

MACROS = {
    "docx avec word/vbaProject.bin": (
        "rapport.docx",
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<d/>", "word/vbaProject.bin": b"\x00VBA"},
    ),
    "docm renommé en docx": ("rapport.docx", {"[Content_Types].xml": TYPES_DOCM, "word/document.xml": "<d/>"}),
    "xlsm renommé en xlsx": ("budget.xlsx", {"[Content_Types].xml": TYPES_XLSM, "xl/workbook.xml": "<w/>"}),
    "xlsx avec xl/vbaProject.bin": (
        "budget.xlsx",
        {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>", "xl/vbaProject.bin": b"VBA"},
    ),
    "odt avec macro Basic": (
        "lettre.odt",
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": "<d/>",
            "Basic/Standard/Module1.xml": "<m/>",
        },
    ),
}


@pytest.mark.parametrize("cas", MACROS)
def test_a_macro_enabled_office_file_is_refused_whatever_its_name(cas):
    nom, entrees = MACROS[cas]
    with pytest.raises(ValidationError) as erreur:
        fichier_verifier(SimpleUploadedFile(nom, archive(entrees)))
    assert erreur.value.code == "macro"
    assert "contient des macros" in erreur.value.messages[0]


def test_the_same_office_files_without_macros_are_accepted():
    assert fichier_verifier(
        SimpleUploadedFile("rapport.docx", archive({"[Content_Types].xml": "<Types/>", "word/document.xml": "<d/>"}))
    )
    assert fichier_verifier(
        SimpleUploadedFile("budget.xlsx", archive({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>"}))
    )


def _ajouter(demande, nom="devis.pdf", octets=0):
    contenu = b"%PDF-1.4\n" + b"0" * octets
    return services.piece_ajouter(
        demande=demande, verifie=fichier_verifier(SimpleUploadedFile(nom, contenu)), par=demande.demandeur
    )


def test_the_number_of_files_per_application_is_capped(settings):
    settings.UPLOAD_QUOTA_DEMANDE = (3, 100 * 1024 * 1024)
    demande = DemandeFactory()
    for i in range(3):
        _ajouter(demande, f"p{i}.pdf")
    with pytest.raises(ValidationError) as erreur:
        _ajouter(demande, "trop.pdf")
    assert "déjà déposé 3 fichiers pour cette demande" in erreur.value.messages[0]
    assert demande.pieces.count() == 3


def test_the_total_size_per_application_is_capped(settings):
    settings.UPLOAD_QUOTA_DEMANDE = (30, 3 * 1024 * 1024)
    demande = DemandeFactory()
    _ajouter(demande, "a.pdf", 2 * 1024 * 1024)
    with pytest.raises(ValidationError) as erreur:
        _ajouter(demande, "b.pdf", 2 * 1024 * 1024)
    assert "dépasserait le maximum de 3 Mo" in erreur.value.messages[0]


def test_a_replaced_required_document_does_not_count_twice(settings):
    settings.UPLOAD_QUOTA_DEMANDE = (1, 100 * 1024 * 1024)
    demande = DemandeFactory()
    for _ in range(3):
        services.piece_ajouter(
            demande=demande, verifie=fichier_verifier(fichier_pdf("kbis.pdf")), par=demande.demandeur, type_piece="Kbis"
        )
    assert demande.pieces.count() == 1


def test_the_quota_per_company_account_adds_up_every_application_of_the_company(settings):
    settings.UPLOAD_QUOTA_COMPTE = (2, 100 * 1024 * 1024)
    premiere = DemandeFactory()
    seconde = DemandeFactory(representant=premiere.demandeur.adhesions.get())
    _ajouter(premiere)
    _ajouter(seconde)
    with pytest.raises(ValidationError) as erreur:
        _ajouter(seconde)
    assert "le compte de l'entreprise" in erreur.value.messages[0]
    _ajouter(DemandeFactory())  # another company is not concerned


def test_past_the_quota_the_form_says_so_in_french_and_keeps_what_was_typed(client, settings):
    settings.UPLOAD_QUOTA_DEMANDE = (1, 100 * 1024 * 1024)
    demande = DemandeFactory(dispositif=DispositifFactory(documents_requis=["Devis", "Kbis"]))
    _ajouter(demande, "ancien.pdf")
    client.force_login(demande.demandeur)
    reponse = client.post(
        reverse("espace:modifier", args=[demande.pk]),
        {
            "intitule": "Projet modifié",
            "projet": "Texte.",
            "date_debut_projet": "2030-01-15",
            "montant_demande": "10 000",
            "lignes-TOTAL_FORMS": "1",
            "lignes-INITIAL_FORMS": "0",
            "lignes-0-nature": "Machine",
            "lignes-0-montant_ht": "40 000",
            "action": "enregistrer",
            "piece_0": fichier_pdf("devis.pdf"),
        },
    )
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert "c'est le maximum" in html and 'value="Projet modifié"' in html
    assert PieceJointe.objects.filter(demande=demande).count() == 1


def test_a_payment_proof_and_a_convention_pdf_are_served_as_attachments(client):
    from aides.conventions.services import convention as sc
    from aides.conventions.tests.factories import convention_notifiee
    from portal.roles import Role
    from portal.tests.factories import AgentFactory

    convention = convention_notifiee(montant=Decimal("30000"))
    versement = sc.versement_creer(
        convention_id=convention.pk,
        par=convention.gestionnaire,
        type="avance",
        montant=Decimal("5000"),
        pieces=[fichier_verifier(fichier_pdf("etat.pdf"))],
    )
    piece = versement.pieces.get()
    client.force_login(AgentFactory(roles=[Role.GESTIONNAIRE_SAF]))
    for url in (
        reverse("aides_saf:piece", args=[convention.pk, piece.pk]),
        reverse("aides_saf:version", args=[convention.pk, sc.version_courante(convention).pk]),
    ):
        reponse = client.get(url)
        assert reponse.status_code == 200
        assert reponse["Content-Disposition"].startswith("attachment;"), url
        assert "no-store" in reponse["Cache-Control"]
