"""The deposit receipt moves to a portal.Document: 1. the link (then 0028 copies, 0029 drops the old
columns; three migrations, so that PostgreSQL never alters a table with rows changed in the same
transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aides", "0026_i20_formulaire_coffre"),
        ("portal", "0007_document"),
    ]

    operations = [
        migrations.RenameField(model_name="demande", old_name="recepisse", new_name="recepisse_ancien"),
        migrations.AddField(
            model_name="demande",
            name="recepisse",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="demande_recepisse",
                to="portal.document",
                verbose_name="récépissé",
            ),
        ),
    ]
