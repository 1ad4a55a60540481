"""2. Every DocumentRevue gets a portal.Document with its file (the same stored file), state, hash and
dates; reversible (copies them back)."""

from django.db import migrations

from portal.reprise_documents import depuis_documents, vers_documents

REPRISE = {"modele": "crm.DocumentRevue", "pret_le": "pret_le", "statuts": {}}


def vers(apps, schema_editor):
    vers_documents(apps, genre="crm.revue", **REPRISE)


def depuis(apps, schema_editor):
    depuis_documents(apps, demande_par=True, **REPRISE)


class Migration(migrations.Migration):
    dependencies = [("crm", "0007_document_revue_document")]

    operations = [migrations.RunPython(vers, depuis)]
