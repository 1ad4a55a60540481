"""3. The old columns go: the files (and the letters' hash and job key) live in portal.Document."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("aides", "0036_i12dem_documents_reprise")]

    operations = [
        migrations.RemoveField(model_name="lettredecision", name="fichier"),
        migrations.RemoveField(model_name="lettredecision", name="sha256"),
        migrations.RemoveField(model_name="lettredecision", name="cle"),
        migrations.RemoveField(model_name="piecejointe", name="fichier"),
        migrations.RemoveField(model_name="documententreprise", name="fichier"),
        migrations.RemoveField(model_name="membre", name="justificatif_ancien"),
        migrations.RemoveField(model_name="membre", name="delegation_document_ancien"),
        migrations.AlterField(
            model_name="lettredecision",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lettre_decision",
                to="portal.document",
                verbose_name="lettre",
            ),
        ),
        migrations.AlterField(
            model_name="piecejointe",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pieces_demande",
                to="portal.document",
                verbose_name="fichier",
            ),
        ),
        migrations.AlterField(
            model_name="documententreprise",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="document_coffre",
                to="portal.document",
                verbose_name="fichier",
            ),
        ),
        migrations.AlterField(
            model_name="lettredecision",
            name="cree_le",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="demandée le"),
        ),
    ]
