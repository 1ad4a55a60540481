"""The files of conventions are portal.Documents: checked by the one checker, named by the server,
replaced or removed with their stored file, in the services and in the FEDER service's admin alike."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aides.conventions.models.feder import ObjectifSpecifique, OperationFeder, PreuvePublicite
from aides.conventions.services import paiement as sp
from aides.conventions.tests.factories import convention_notifiee
from aides.conventions.tests.factories_paiement import acompte_depose, convention_a_payer, pdf
from aides.demandes.tests.factories import PDF_MINIMAL
from portal.models import Document
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def existe(document: Document) -> bool:
    return document.fichier.storage.exists(document.fichier.name)


def test_a_piece_removed_from_a_draft_payment_request_goes_with_its_file(django_capture_on_commit_callbacks):
    convention, membre = convention_a_payer(montant=Decimal("20000"))
    demande = sp.demande_versement_creer(convention_id=convention.pk, tranche=1, par=membre.utilisateur, membre=membre)
    piece = sp.piece_ajouter(demande=demande, verifie=pdf("Facture <n°1>.pdf"), par=membre.utilisateur)
    document = piece.document
    assert (document.genre, document.statut) == ("aides.paiement.piece", "pret")
    assert (
        document.fichier.name.startswith("documents/aides-paiement-piece/") and "Facture" not in document.fichier.name
    )
    assert existe(document)
    with django_capture_on_commit_callbacks(execute=True):
        sp.piece_retirer(piece_id=piece.pk, par=membre.utilisateur, membre=membre)
    assert not Document.objects.filter(pk=document.pk).exists() and not demande.pieces.exists()
    assert not existe(document)


def test_a_new_final_report_proof_replaces_the_previous_one_file_and_all(django_capture_on_commit_callbacks):
    convention, membre = convention_a_payer(montant=Decimal("20000"))
    acompte_depose(convention, membre, montants=("1000",))

    def enregistrer(nom):
        return sp.rapport_enregistrer(
            convention_id=convention.pk,
            par=membre.utilisateur,
            membre=membre,
            bilan="Bilan.",
            indicateurs=[("Emplois créés", Decimal("2"), "ETP")],
            preuve=pdf(nom),
        )

    premiere = enregistrer("plaque.pdf").preuve
    with django_capture_on_commit_callbacks(execute=True):
        rapport = enregistrer("plaque-definitive.pdf")
    assert rapport.preuve_nom == "plaque-definitive.pdf" and rapport.preuve.genre == "aides.rapport.preuve"
    assert not Document.objects.filter(pk=premiere.pk).exists() and not existe(premiere)
    assert existe(rapport.preuve)


def donnees_du_formulaire(reponse) -> dict:
    """What the admin's change page would post back unchanged (the main form and the inlines' counters)."""
    formulaire = reponse.context["adminform"].form
    donnees = {}
    for nom, champ in formulaire.fields.items():
        valeur = formulaire.initial.get(nom, champ.initial)
        if valeur not in (None, False, ""):
            donnees[nom] = valeur
    for inline in reponse.context["inline_admin_formsets"]:
        gestion = inline.formset.management_form
        donnees.update({f"{inline.formset.prefix}-{cle}": valeur for cle, valeur in gestion.initial.items()})
    return donnees


def test_the_feder_service_uploads_a_publicity_proof_in_the_admin_through_the_checker(
    client, django_capture_on_commit_callbacks
):
    convention = convention_notifiee()
    operation = OperationFeder.objects.create(
        convention=convention,
        code_operation="HF00042",
        objectif_specifique=ObjectifSpecifique.OS_1_3,
        taux_ue=Decimal("40"),
        cout_total_eligible=Decimal("40000"),
        montant_ue=Decimal("8000"),
    )
    client.force_login(AgentFactory(roles=[Role.SERVICE_FEDER]))
    url = reverse("admin:aides_operationfeder_change", args=[operation.pk])
    donnees = donnees_du_formulaire(client.get(url))
    preuve = {"preuves-TOTAL_FORMS": 1, "preuves-0-type": PreuvePublicite.Type.AFFICHE, "preuves-0-le": "2026-12-01"}

    faux = SimpleUploadedFile("affiche.pdf", b"MZ\x90\x00 pas un PDF", content_type="application/pdf")
    reponse = client.post(url, {**donnees, **preuve, "preuves-0-fichier": faux})
    assert reponse.status_code == 200 and not PreuvePublicite.objects.exists()  # refused by the checker

    reponse = client.post(
        url, {**donnees, **preuve, "preuves-0-fichier": SimpleUploadedFile("Affiche A3.pdf", PDF_MINIMAL)}
    )
    assert reponse.status_code == 302, reponse.context and reponse.context["errors"]
    ancien = PreuvePublicite.objects.select_related("document").get().document
    assert (ancien.genre, ancien.statut, ancien.type_mime) == ("aides.feder.preuve", "pret", "application/pdf")
    assert "Affiche" not in ancien.fichier.name and existe(ancien)

    # A new file replaces the previous one; deleting the proof (an administrator) deletes its file.
    donnees = donnees_du_formulaire(client.get(url))
    existante = PreuvePublicite.objects.get()
    ligne = {
        "preuves-TOTAL_FORMS": 1,
        "preuves-INITIAL_FORMS": 1,
        "preuves-0-id": existante.pk,
        "preuves-0-operation": operation.pk,
        "preuves-0-type": PreuvePublicite.Type.AFFICHE,
        "preuves-0-le": "2026-12-01",
    }
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            url, {**donnees, **ligne, "preuves-0-fichier": SimpleUploadedFile("nouvelle.pdf", PDF_MINIMAL)}
        )
    assert reponse.status_code == 302
    nouveau = PreuvePublicite.objects.get().document
    assert nouveau.pk != ancien.pk and not Document.objects.filter(pk=ancien.pk).exists() and not existe(ancien)
    client.force_login(AgentFactory(roles=[Role.ADMINISTRATEUR], is_superuser=True))  # the FEDER service may not delete
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {**donnees, **ligne, "preuves-0-DELETE": "on"}).status_code == 302
    assert not PreuvePublicite.objects.exists() and not Document.objects.filter(pk=nouveau.pk).exists()
    assert not existe(nouveau)
