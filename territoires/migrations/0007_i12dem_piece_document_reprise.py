"""2. Every stored PDF of an EPCI convention becomes a portal.Document holding the same stored file
(portal.reprise_documents: nothing moves, nothing is lost). Reversible."""

from django.db import migrations

from portal.reprise_documents import documents_vers_fichiers, fichiers_vers_documents

MODELE = "territoires.PieceConvention"


def vers(apps, schema_editor):
    fichiers_vers_documents(apps, modele=MODELE, genre="territoires.piece_convention", date="ajoutee_le")


def depuis(apps, schema_editor):
    documents_vers_fichiers(apps, modele=MODELE)


class Migration(migrations.Migration):
    dependencies = [("territoires", "0006_i12dem_piece_document")]

    operations = [migrations.RunPython(vers, depuis)]
