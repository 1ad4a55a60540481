"""2. Every summary gets a portal.Document with its file (the same stored file), state, hash and dates;
reversible (copies them back)."""

from django.db import migrations

from portal.reprise_documents import depuis_documents, vers_documents

REPRISE = {"modele": "parcours.SyntheseParcours", "pret_le": "prete_le", "statuts": {"prete": "pret"}}


def vers(apps, schema_editor):
    vers_documents(apps, genre="parcours.synthese", **REPRISE)


def depuis(apps, schema_editor):
    depuis_documents(apps, **REPRISE)


class Migration(migrations.Migration):
    dependencies = [("parcours", "0002_synthese_document")]

    operations = [migrations.RunPython(vers, depuis)]
