"""2. Every stored PDF of an EPCI convention becomes a portal.Document holding the same stored file
(portal.reprise_documents: nothing moves, nothing is lost). Reversible."""

from django.db import migrations

from portal.reprise_documents import fichiers_vers_documents

MODELE = "territoires.PieceConvention"


def vers(apps, schema_editor):
    fichiers_vers_documents(apps, modele=MODELE, genre="territoires.piece_convention", date="ajoutee_le")


def depuis(apps, schema_editor):
    """The stored file's name goes back into the row; the Documents go (their files stay), deleted in
    SQL: the ORM's cascade would read the tables of every app pointing to portal.Document, some of
    which may be unapplied already (their columns gone) in the same run."""
    PieceConvention = apps.get_model(*MODELE.split("."))
    ids = []
    for piece in PieceConvention.objects.filter(document__isnull=False).select_related("document"):
        PieceConvention.objects.filter(pk=piece.pk).update(fichier=piece.document.fichier.name, document=None)
        ids.append(str(piece.document_id))
    with schema_editor.connection.cursor() as curseur:
        curseur.execute("DELETE FROM portal_document WHERE id = ANY(%s::uuid[])", [ids])


class Migration(migrations.Migration):
    dependencies = [("territoires", "0006_i12dem_piece_document")]

    operations = [migrations.RunPython(vers, depuis)]
