"""Issue 12: an EPCI convention's PDF moves to portal.Document. 1. the link (then 0007 copies, 0008
drops the old column; it becomes blank here, no change in the database, so that unapplying 0008 can
add it back to rows that have values again once 0007 is unapplied)."""

import django.db.models.deletion
from django.db import migrations, models

import territoires.models.conventions


class Migration(migrations.Migration):
    dependencies = [
        ("territoires", "0005_i11b_invariants"),
        ("portal", "0007_document"),
    ]

    operations = [
        migrations.AlterField(
            model_name="piececonvention",
            name="fichier",
            field=models.FileField(
                blank=True,
                max_length=200,
                upload_to=territoires.models.conventions._chemin_piece,
                verbose_name="fichier",
            ),
        ),
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
