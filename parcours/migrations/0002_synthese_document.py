"""A parcours summary's file and preparation move to a portal.Document: 1. the link (then
0003 copies, 0004 drops the old columns; three migrations, so that PostgreSQL never alters a table
with rows changed in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("parcours", "0001_initial"),
        ("portal", "0007_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="syntheseparcours",
            name="document",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="synthese_parcours",
                to="portal.document",
                verbose_name="document",
            ),
        ),
    ]
