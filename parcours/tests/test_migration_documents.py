"""The data migration that moved the summaries' files into portal.Document keeps every stored file,
and can be unapplied (django's migration executor, on the real PostgreSQL)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

AVANT = [("parcours", "0001_initial"), ("portal", "0007_document")]
APRES = [("parcours", "0004_synthese_document_fin")]


def migrer(cibles):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(cibles)
    return executor.loader.project_state(cibles).apps


def test_every_summary_keeps_its_file_state_and_hash_through_the_migration_and_back(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    anciennes = migrer(AVANT)
    Ancienne = anciennes.get_model("parcours", "SyntheseParcours")
    chemin = default_storage.save("parcours/parcours-ancienne.pdf", ContentFile(b"%PDF-1.4 ancienne"))
    le = timezone.now()
    prete = Ancienne.objects.create(
        profil="commune=80021", statut="prete", fichier=chemin, sha256="a" * 64, cree_le=le, prete_le=le
    )
    echouee = Ancienne.objects.create(profil="commune=59350", statut="echec", erreur="OSError : disque plein")
    try:
        nouvelles = migrer(APRES)
        Synthese = nouvelles.get_model("parcours", "SyntheseParcours")
        document = Synthese.objects.select_related("document").get(pk=prete.pk).document
        assert (document.genre, document.statut, document.sha256) == ("parcours.synthese", "pret", "a" * 64)
        assert document.fichier.name == chemin and document.pret_le == le and document.cree_le == le
        assert default_storage.open(document.fichier.name).read() == b"%PDF-1.4 ancienne"
        echec = Synthese.objects.select_related("document").get(pk=echouee.pk).document
        assert (echec.statut, echec.erreur, echec.fichier.name) == ("echec", "OSError : disque plein", "")

        anciennes = migrer(AVANT)
        Ancienne = anciennes.get_model("parcours", "SyntheseParcours")
        revenue = Ancienne.objects.get(pk=prete.pk)
        assert (revenue.statut, revenue.fichier.name, revenue.sha256) == ("prete", chemin, "a" * 64)
        assert anciennes.get_model("portal", "Document").objects.count() == 0
    finally:
        migrer(APRES)
        migrer(MigrationExecutor(connection).loader.graph.leaf_nodes())
