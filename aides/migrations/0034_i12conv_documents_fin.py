"""3. The old columns go: the files of aid conventions, their hashes, sizes and types, and a PDF's
request date live in portal.Document."""

import django.db.models.deletion
from django.db import migrations, models


def document(related_name: str, verbose_name: str = "document"):
    return models.OneToOneField(
        on_delete=django.db.models.deletion.CASCADE,
        related_name=related_name,
        to="portal.document",
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [("aides", "0033_i12conv_documents_reprise")]

    operations = [
        migrations.AlterField(model_name="versionconvention", name="document", field=document("version_convention")),
        migrations.AlterField(model_name="pieceversement", name="document", field=document("piece_versement")),
        migrations.AlterField(
            model_name="piecedemandeversement", name="document", field=document("piece_demande_versement")
        ),
        migrations.RemoveField(model_name="conventionaide", name="pdf_demande_le"),
        migrations.RemoveField(model_name="versionconvention", name="fichier"),
        migrations.RemoveField(model_name="versionconvention", name="sha256"),
        migrations.RemoveField(model_name="versionconvention", name="taille"),
        migrations.RemoveField(model_name="versionconvention", name="genere_le"),
        migrations.RemoveField(model_name="signature", name="scan_ancien"),
        migrations.RemoveField(model_name="signature", name="scan_sha256"),
        migrations.RemoveField(model_name="pieceversement", name="fichier"),
        migrations.RemoveField(model_name="pieceversement", name="sha256"),
        migrations.RemoveField(model_name="pieceversement", name="taille"),
        migrations.RemoveField(model_name="pieceversement", name="type_mime"),
        migrations.RemoveField(model_name="piecedemandeversement", name="fichier"),
        migrations.RemoveField(model_name="piecedemandeversement", name="sha256"),
        migrations.RemoveField(model_name="piecedemandeversement", name="taille"),
        migrations.RemoveField(model_name="piecedemandeversement", name="type_mime"),
        migrations.RemoveField(model_name="preuvepublicite", name="fichier"),
        migrations.RemoveField(model_name="rapportfinal", name="preuve_publicite"),
        migrations.RemoveField(model_name="rapportfinal", name="preuve_sha256"),
        migrations.RemoveField(model_name="rapportfinal", name="preuve_type_mime"),
        migrations.AddConstraint(
            model_name="rapportfinal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("etat", "brouillon"),
                    models.Q(("depose_le__isnull", False), ("preuve__isnull", False)),
                    _connector="OR",
                ),
                name="rapport_depose_preuve",
            ),
        ),
    ]
