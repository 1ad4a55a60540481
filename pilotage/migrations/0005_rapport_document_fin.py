"""3. The old columns go: the file and its preparation live in portal.Document."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pilotage", "0004_rapport_document_reprise")]

    operations = [
        migrations.RemoveConstraint(model_name="rapportpilotage", name="rapport_pilotage_pret_complet"),
        migrations.RemoveField(model_name="rapportpilotage", name="cree_le"),
        migrations.RemoveField(model_name="rapportpilotage", name="demande_par"),
        migrations.RemoveField(model_name="rapportpilotage", name="erreur"),
        migrations.RemoveField(model_name="rapportpilotage", name="fichier"),
        migrations.RemoveField(model_name="rapportpilotage", name="pret_le"),
        migrations.RemoveField(model_name="rapportpilotage", name="sha256"),
        migrations.RemoveField(model_name="rapportpilotage", name="statut"),
        migrations.AlterModelOptions(
            name="rapportpilotage",
            options={
                "ordering": ["-document__cree_le"],
                "verbose_name": "rapport du comité de pilotage",
                "verbose_name_plural": "rapports du comité de pilotage",
            },
        ),
        migrations.AlterField(
            model_name="rapportpilotage",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rapport_pilotage",
                to="portal.document",
                verbose_name="document",
            ),
        ),
    ]
