"""The data migration that moved deposit receipts into portal.Document keeps every stored receipt and
gives the missing ones a job (django's migration executor, on the real PostgreSQL), both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aides.demandes.models.demande import Demande
from aides.demandes.tests.factories import demande_deposee
from portal.documents import document_stocker
from portal.models import Travail
from territoires.chargement import territoires_charger

pytestmark = pytest.mark.django_db(transaction=True)

AVANT = [("aides", "0026_i20_formulaire_coffre")]
APRES = [("aides", "0029_recepisse_document_fin")]


def migrer(cibles):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(cibles)
    return executor.loader.project_state(cibles).apps


def test_stored_receipts_keep_their_file_and_missing_ones_get_a_job_through_the_migration_and_back(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    territoires_charger()  # the establishments' communes (transactional tests start with empty tables)
    prete = demande_deposee()
    document_stocker(prete.recepisse, contenu=b"%PDF-1.4 recu")
    chemin, empreinte = prete.recepisse.fichier.name, prete.recepisse.sha256
    attente = demande_deposee()
    try:
        anciennes = migrer(AVANT)
        Ancienne = anciennes.get_model("aides", "Demande")
        assert (
            Ancienne.objects.get(pk=prete.pk).recepisse.name,
            Ancienne.objects.get(pk=prete.pk).recepisse_sha256,
        ) == (
            chemin,
            empreinte,
        )
        assert not Ancienne.objects.get(pk=attente.pk).recepisse
        assert not anciennes.get_model("portal", "Travail").objects.exists()

        migrer(APRES)
        recu = Demande.objects.select_related("recepisse").get(pk=prete.pk).recepisse
        assert (recu.statut, recu.fichier.name, recu.sha256, recu.genre) == (
            "pret",
            chemin,
            empreinte,
            "aides.recepisse",
        )
        assert recu.fichier.read() == b"%PDF-1.4 recu"
        manquant = Demande.objects.select_related("recepisse").get(pk=attente.pk).recepisse
        assert manquant.statut == "en_attente"
        assert Travail.objects.filter(arguments__document_id=str(manquant.pk)).count() == 1
    finally:
        migrer(APRES)
        migrer(MigrationExecutor(connection).loader.graph.leaf_nodes())
