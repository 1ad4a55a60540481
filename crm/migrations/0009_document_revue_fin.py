"""3. The old columns go: the file and its preparation live in portal.Document."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("crm", "0008_document_revue_reprise")]

    operations = [
        migrations.RemoveConstraint(model_name="documentrevue", name="crm_document_revue_pret_complet"),
        migrations.RemoveField(model_name="documentrevue", name="cree_le"),
        migrations.RemoveField(model_name="documentrevue", name="demande_par"),
        migrations.RemoveField(model_name="documentrevue", name="erreur"),
        migrations.RemoveField(model_name="documentrevue", name="fichier"),
        migrations.RemoveField(model_name="documentrevue", name="pret_le"),
        migrations.RemoveField(model_name="documentrevue", name="sha256"),
        migrations.RemoveField(model_name="documentrevue", name="statut"),
        migrations.AlterModelOptions(
            name="documentrevue",
            options={
                "ordering": ["-document__cree_le"],
                "verbose_name": "document de revue de projets",
                "verbose_name_plural": "documents de revue de projets",
            },
        ),
        migrations.AlterField(
            model_name="documentrevue",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="document_revue",
                to="portal.document",
                verbose_name="document",
            ),
        ),
    ]
