"""The migrations that moved the files of aid conventions into portal.Document (aides 0032-0034) keep
every stored file, both ways (django's migration executor, on the real PostgreSQL): one row of each
model that owned a file, and a convention PDF still being prepared."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aides.conventions.documents import GENRES as GENRES_CONVENTIONS
from aides.conventions.models.convention import VersionConvention
from aides.conventions.models.feder import ObjectifSpecifique, OperationFeder, PreuvePublicite
from aides.conventions.services import convention as sc
from aides.conventions.services import paiement as sp
from aides.conventions.tests.factories import convention_creee, convention_envoyee, pdf_genere
from aides.conventions.tests.factories_paiement import acompte_depose, convention_a_payer, pdf, rapport_depose
from aides.demandes.tests.factories import fichier_pdf
from portal.models import Document, Travail
from portal.verification import fichier_verifier
from territoires.chargement import territoires_charger

pytestmark = pytest.mark.django_db(transaction=True)

AVANT = [("aides", "0031_i20b_messagerie_avis"), ("portal", "0007_document")]
APRES = [("aides", "0034_i12conv_documents_fin")]


def migrer(cibles):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(cibles)
    return executor.loader.project_state(cibles).apps


def un_fichier_de_chaque():
    """Model → (pk, the row's document): a PDF version, a signed scan, a payment's proof, a payment
    request's invoice, a final report's proof, a FEDER publicity proof."""
    signee = convention_envoyee()
    version = sc.version_courante(signee)
    sc.convention_signer_beneficiaire(
        convention_id=signee.pk,
        par=signee.demande.demandeur,
        version_id=version.pk,
        scan=fichier_verifier(fichier_pdf("signee.pdf")),
    )
    signature = signee.signatures.select_related("scan").get()
    payee, membre = convention_a_payer(montant=Decimal("20000"))
    versement = sc.versement_creer(
        convention_id=payee.pk, par=payee.gestionnaire, type="avance", montant=Decimal("100"), pieces=[pdf("etat.pdf")]
    )
    facture = acompte_depose(payee, membre, montants=("1000",)).pieces.select_related("document").get()
    rapport = rapport_depose(payee, membre)
    operation = OperationFeder.objects.create(
        convention=payee,
        code_operation="HF00042",
        objectif_specifique=ObjectifSpecifique.OS_1_3,
        taux_ue=Decimal("40"),
        cout_total_eligible=Decimal("1000"),
        montant_ue=Decimal("400"),
    )
    preuve = sp.preuve_publicite_enregistrer(
        preuve=PreuvePublicite(operation=operation, type=PreuvePublicite.Type.AFFICHE),
        fichier=fichier_verifier(fichier_pdf("affiche.pdf")),
        par=payee.gestionnaire,
    )
    return {
        ("VersionConvention", "fichier", "document"): (version.pk, version.document),
        ("Signature", "scan", "scan"): (signature.pk, signature.scan),
        ("PieceVersement", "fichier", "document"): (versement.pieces.get().pk, versement.pieces.get().document),
        ("PieceDemandeVersement", "fichier", "document"): (facture.pk, facture.document),
        ("RapportFinal", "preuve_publicite", "preuve"): (rapport.pk, rapport.preuve),
        ("PreuvePublicite", "fichier", "document"): (preuve.pk, preuve.document),
    }


def documents_des_conventions() -> list[tuple]:
    documents = Document.objects.filter(genre__in=GENRES_CONVENTIONS)  # this sub-domain's kinds only
    return sorted(documents.values_list("genre", "statut", "fichier", "sha256", "type_mime"))


def test_every_file_of_conventions_keeps_its_stored_file_through_the_migrations_and_back(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    territoires_charger()  # the establishments' communes (transactional tests start with empty tables)
    fichiers = un_fichier_de_chaque()
    attendus = {cle: (d.fichier.name, d.sha256, d.type_mime) for cle, (_, d) in fichiers.items()}
    assert all(nom for nom, _, _ in attendus.values()) and len({nom for nom, _, _ in attendus.values()}) == 6
    en_cours = convention_creee()
    pdf_genere(en_cours)
    sc.convention_editer(convention_id=en_cours.pk, par=en_cours.gestionnaire)  # version 2, still to render
    tous = documents_des_conventions()
    try:
        anciennes = migrer(AVANT)
        for (modele, ancien, cible), (pk, _document) in fichiers.items():
            ligne = anciennes.get_model("aides", modele).objects.get(pk=pk)
            assert getattr(ligne, ancien).name == attendus[modele, ancien, cible][0], modele
        Version = anciennes.get_model("aides", "VersionConvention")
        assert (
            Version.objects.get(pk=fichiers["VersionConvention", "fichier", "document"][0]).sha256
            == (attendus["VersionConvention", "fichier", "document"][1])
        )
        assert (
            anciennes.get_model("aides", "Signature")
            .objects.get(pk=fichiers["Signature", "scan", "scan"][0])
            .scan_sha256
            == attendus["Signature", "scan", "scan"][1]
        )
        piece = anciennes.get_model("aides", "PieceDemandeVersement").objects.get(
            pk=fichiers["PieceDemandeVersement", "fichier", "document"][0]
        )
        assert (piece.sha256, piece.type_mime) == attendus["PieceDemandeVersement", "fichier", "document"][1:]
        # The version still to render is the convention's request again, with the old job.
        assert Version.objects.filter(convention_id=en_cours.pk).count() == 1
        assert anciennes.get_model("aides", "ConventionAide").objects.get(pk=en_cours.pk).pdf_demande_le is not None
        assert Travail.objects.filter(
            tache="aides.conventions.pdf.convention_pdf_generer", arguments__convention_id=en_cours.pk
        ).exists()
        assert (
            anciennes.get_model("portal", "Document").objects.filter(genre__startswith="aides.convention").count() == 0
        )

        nouvelles = migrer(APRES)
        for (modele, ancien, cible), (pk, avant) in fichiers.items():
            document = getattr(nouvelles.get_model("aides", modele).objects.get(pk=pk), cible)
            assert (document.fichier.name, document.sha256, document.type_mime) == attendus[modele, ancien, cible], (
                modele
            )
            assert (document.genre, document.statut) == (avant.genre, "pret")
            assert document.fichier.read() == avant.fichier.storage.open(avant.fichier.name).read()
        version = VersionConvention.objects.select_related("document").get(convention_id=en_cours.pk, numero=2)
        assert (version.document.statut, version.document.genre) == ("en_attente", "aides.convention")
        assert version.document.cle == f"convention:{en_cours.pk}"  # a double click still gets this one
        assert Travail.objects.filter(
            tache="portal.documents.document_generer", arguments__document_id=str(version.document_id)
        ).exists()
        assert not Travail.objects.filter(tache="aides.conventions.pdf.convention_pdf_generer").exists()
        assert documents_des_conventions() == tous  # every document came back, and none more
    finally:
        migrer(APRES)
        migrer(MigrationExecutor(connection).loader.graph.leaf_nodes())
