"""RapportPilotage's file and preparation move to a portal.Document: 1. the link (then 0004 copies,
0005 drops the old columns; three migrations, so that PostgreSQL never alters a table with rows
changed in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pilotage", "0002_i16_agregats"),
        ("portal", "0007_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="rapportpilotage",
            name="document",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rapport_pilotage",
                to="portal.document",
                verbose_name="document",
            ),
        ),
    ]
