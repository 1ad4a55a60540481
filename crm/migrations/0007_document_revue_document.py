"""DocumentRevue's file and preparation move to a portal.Document: 1. the link (then 0008 copies,
0009 drops the old columns; three migrations, so that PostgreSQL never alters a table with rows
changed in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0006_i13a_acheminement"),
        ("portal", "0007_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="documentrevue",
            name="document",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="document_revue",
                to="portal.document",
                verbose_name="document",
            ),
        ),
    ]
