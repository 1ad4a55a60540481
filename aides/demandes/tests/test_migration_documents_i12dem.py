"""The migrations that moved the stored files of applications' pieces, the company safe, members'
justificatifs and acts of delegation, decision letters and EPCI convention PDFs into portal.Document
keep every stored file, both ways (django's migration executor, on the real PostgreSQL); a letter still
waiting for its old job becomes a letter version « en attente » with the one document job."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from aides.demandes.documents import GENRE_DELEGATION
from aides.demandes.models.coffre import DocumentEntreprise
from aides.demandes.models.demande import PieceJointe, Statut
from aides.demandes.models.espace import Membre
from aides.demandes.models.lettre import LettreDecision
from aides.demandes.services import demande as services
from aides.demandes.services.coffre import coffre_deposer
from aides.demandes.services.comptes import rattachement_creer
from aides.demandes.tests.factories import (
    PDF_MINIMAL,
    DemandeFactory,
    demande_en_instruction,
    fichier_pdf,
    piece_pour,
)
from crm.tests.factories import EtablissementFactory
from portal.documents import document_deposer, document_generer
from portal.models import Document, Travail
from portal.roles import Role
from portal.tests.factories import AgentFactory, UserFactory
from portal.verification import fichier_verifier
from territoires import services as services_territoires
from territoires.chargement import territoires_charger
from territoires.models import PieceConvention
from territoires.tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db(transaction=True)

AVANT = [("aides", "0034_i12conv_documents_fin"), ("territoires", "0005_i11b_invariants")]
APRES = [("aides", "0037_i12dem_documents_fin"), ("territoires", "0008_i12dem_piece_document_fin")]
# (app, model, old file field, new document field) in the schema before and after
CHAMPS = [
    ("aides", "PieceJointe", "fichier", "document"),
    ("aides", "DocumentEntreprise", "fichier", "document"),
    ("aides", "Membre", "justificatif", "justificatif"),
    ("aides", "Membre", "delegation_document", "delegation_document"),
    ("aides", "LettreDecision", "fichier", "document"),
    ("territoires", "PieceConvention", "fichier", "document"),
]


def migrer(cibles):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(cibles)
    return executor.loader.project_state(cibles).apps


def un_de_chaque() -> dict[str, object]:
    """One row of each model holding a file, made through the services."""
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR])
    demande = demande_en_instruction(instructeur)
    piece = piece_pour(DemandeFactory())
    coffre = coffre_deposer(
        entreprise_id=demande.etablissement.entreprise_id,
        type="rib",
        verifie=fichier_verifier(fichier_pdf("rib.pdf")),
        par=demande.demandeur,
    )
    membre = rattachement_creer(
        utilisateur=UserFactory(),
        etablissement=EtablissementFactory(),
        justificatif=fichier_verifier(fichier_pdf("kbis.pdf")),
    )
    membre.delegation_document = document_deposer(
        fichier_verifier(fichier_pdf("delegation.pdf")), genre=GENRE_DELEGATION
    )
    membre.save(update_fields=["delegation_document"])
    services.demande_decider(
        demande_id=demande.pk,
        version=demande.version,
        par=instructeur,
        decision=Statut.ACCORDEE,
        motif="Projet créateur d'emplois.",
        montant_accorde=Decimal("1000"),
        date_commission=timezone.localdate() - timedelta(days=1),
        numero_deliberation="CP-1",
    )
    lettre = LettreDecision.objects.get(demande=demande)
    document_generer(document_id=str(lettre.document_id))
    piece_epci = services_territoires.piece_ajouter(
        convention=ConventionFactory(), fichier=SimpleUploadedFile("signee.pdf", PDF_MINIMAL), par=None
    )
    return {
        "PieceJointe": piece,
        "DocumentEntreprise": coffre,
        "Membre": membre,
        "LettreDecision": lettre,
        "PieceConvention": piece_epci,
    }


def test_every_stored_file_comes_back_under_the_same_name_through_the_migrations_both_ways(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    territoires_charger()  # the establishments' communes (transactional tests start with empty tables)
    lignes = un_de_chaque()
    noms = {}
    for _app, modele, _ancien, nouveau in CHAMPS:
        ligne = type(lignes[modele])._base_manager.select_related(nouveau).get(pk=lignes[modele].pk)
        noms[(modele, nouveau)] = getattr(ligne, nouveau).fichier.name
    assert all(noms.values()) and len(set(noms.values())) == len(noms)
    lettre = lignes["LettreDecision"]
    try:
        anciennes = migrer(AVANT)
        for app, modele, ancien, nouveau in CHAMPS:
            assert (
                getattr(anciennes.get_model(app, modele).objects.get(pk=lignes[modele].pk), ancien).name
                == (noms[(modele, nouveau)])
            )
        genres = ["aides.piece", "aides.coffre", "aides.justificatif", "aides.delegation", "aides.lettre"]
        genres.append("territoires.piece_convention")
        assert not anciennes.get_model("portal", "Document").objects.filter(genre__in=genres).exists()
        Ancienne = anciennes.get_model("aides", "LettreDecision")
        assert len(Ancienne.objects.get(pk=lettre.pk).sha256) == 64 and Ancienne.objects.get(pk=lettre.pk).cle
        # A letter asked for and not rendered yet, in the old world: a job of the old task.
        anciennes.get_model("portal", "Travail").objects.create(
            tache="aides.demandes.lettres.lettre_generer", arguments={"demande_id": lettre.demande_id, "cle": "x"}
        )

        migrer(APRES)
        for _app, modele, _ancien, nouveau in CHAMPS:
            ligne = type(lignes[modele])._base_manager.select_related(nouveau).get(pk=lignes[modele].pk)
            document = getattr(ligne, nouveau)
            assert document.pret and document.fichier.name == noms[(modele, nouveau)]
            assert document.fichier.read() == PDF_MINIMAL or modele == "LettreDecision"
        assert LettreDecision.objects.get(pk=lettre.pk).document.fichier.read(5) == b"%PDF-"
        attente = LettreDecision.objects.get(demande_id=lettre.demande_id, numero=2)
        assert attente.document.statut == Document.Statut.EN_ATTENTE and attente.decision == Statut.ACCORDEE
        assert Travail.objects.get(arguments__document_id=str(attente.document_id)).statut == Travail.Statut.EN_ATTENTE
        assert not Travail.objects.filter(tache="aides.demandes.lettres.lettre_generer").exists()
        assert PieceJointe.objects.count() == DocumentEntreprise.objects.count() == PieceConvention.objects.count() == 1
        assert Membre.objects.filter(justificatif__isnull=False, delegation_document__isnull=False).count() == 1
    finally:
        migrer(APRES)
        migrer(MigrationExecutor(connection).loader.graph.leaf_nodes())
