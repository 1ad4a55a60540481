"""3. The old column goes: the file lives in portal.Document."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("territoires", "0007_i12dem_piece_document_reprise")]

    operations = [
        migrations.RemoveField(model_name="piececonvention", name="fichier"),
        migrations.AlterField(
            model_name="piececonvention",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="piece_convention_epci",
                to="portal.document",
                verbose_name="fichier",
            ),
        ),
    ]
