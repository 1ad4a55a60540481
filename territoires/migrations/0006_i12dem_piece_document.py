"""Issue 12: an EPCI convention's PDF moves to portal.Document. 1. the link (then 0007 copies, 0008
drops the old column)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("territoires", "0005_i11b_invariants"),
        ("portal", "0007_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="piececonvention",
            name="document",
            field=models.OneToOneField(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="piece_convention_epci",
                to="portal.document",
                verbose_name="fichier",
            ),
        ),
    ]
