"""2. Every RapportPilotage gets a portal.Document with its file (the same stored file), state, hash and
dates; reversible (copies them back)."""

from django.db import migrations

from portal.reprise_documents import depuis_documents, vers_documents

REPRISE = {"modele": "pilotage.RapportPilotage", "pret_le": "pret_le", "statuts": {}}


def vers(apps, schema_editor):
    vers_documents(apps, genre="pilotage.rapport", **REPRISE)


def depuis(apps, schema_editor):
    depuis_documents(apps, demande_par=True, **REPRISE)


class Migration(migrations.Migration):
    dependencies = [("pilotage", "0003_rapport_document")]

    operations = [migrations.RunPython(vers, depuis)]
