"""3. The old columns go: the file and its preparation live in portal.Document."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("parcours", "0003_synthese_document_reprise")]

    operations = [
        migrations.RemoveConstraint(model_name="syntheseparcours", name="synthese_prete_complete"),
        migrations.RemoveField(model_name="syntheseparcours", name="erreur"),
        migrations.RemoveField(model_name="syntheseparcours", name="fichier"),
        migrations.RemoveField(model_name="syntheseparcours", name="prete_le"),
        migrations.RemoveField(model_name="syntheseparcours", name="sha256"),
        migrations.RemoveField(model_name="syntheseparcours", name="statut"),
        migrations.AlterField(
            model_name="syntheseparcours",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="synthese_parcours",
                to="portal.document",
                verbose_name="document",
            ),
        ),
    ]
