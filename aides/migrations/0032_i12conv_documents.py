"""Files of aid conventions move to portal.Document: 1. the links (then 0033 copies every file, 0034
drops the old columns; three migrations, so that PostgreSQL never alters a table with rows changed in
the same transaction). The old columns that 0034 drops get an empty default here, so that 0034 and
0033 can be unapplied on tables with rows."""

import django.db.models.deletion
from django.db import migrations, models

import aides.conventions.models.convention
import aides.conventions.models.paiement


def document(related_name: str, verbose_name: str = "document", on_delete=django.db.models.deletion.CASCADE):
    return models.OneToOneField(
        blank=True,
        null=True,
        on_delete=on_delete,
        related_name=related_name,
        to="portal.document",
        verbose_name=verbose_name,
    )


def place_pour_defaire(modele: str, chemin) -> list:
    """A proof's old file and metadata may be empty until 0034 drops them."""
    return [
        migrations.AlterField(
            model_name=modele, name="fichier", field=models.FileField(blank=True, max_length=200, upload_to=chemin)
        ),
        migrations.AlterField(model_name=modele, name="sha256", field=models.CharField(blank=True, max_length=64)),
        migrations.AlterField(model_name=modele, name="type_mime", field=models.CharField(blank=True, max_length=100)),
        migrations.AlterField(model_name=modele, name="taille", field=models.PositiveBigIntegerField(null=True)),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("aides", "0031_i20b_messagerie_avis"),
        ("portal", "0007_document"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="rapportfinal", name="rapport_depose_preuve"),
        migrations.RenameField(model_name="signature", old_name="scan", new_name="scan_ancien"),
        migrations.AddField(
            model_name="signature",
            name="scan",
            field=document("signature_scan", "exemplaire signé", django.db.models.deletion.PROTECT),
        ),
        migrations.AddField(model_name="versionconvention", name="document", field=document("version_convention")),
        migrations.AddField(model_name="pieceversement", name="document", field=document("piece_versement")),
        migrations.AddField(
            model_name="piecedemandeversement", name="document", field=document("piece_demande_versement")
        ),
        migrations.AddField(
            model_name="preuvepublicite",
            name="document",
            field=document("preuve_publicite_feder", "fichier", django.db.models.deletion.PROTECT),
        ),
        migrations.AddField(
            model_name="rapportfinal",
            name="preuve",
            field=document(
                "rapport_final_preuve",
                "preuve de publicité (photo, capture d'écran)",
                django.db.models.deletion.PROTECT,
            ),
        ),
        # Room for unapplying 0034 on tables with rows.
        migrations.AlterField(
            model_name="versionconvention",
            name="fichier",
            field=models.FileField(
                blank=True,
                max_length=200,
                upload_to=aides.conventions.models.convention.chemin_convention,
                verbose_name="fichier",
            ),
        ),
        migrations.AlterField(
            model_name="versionconvention",
            name="sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="empreinte SHA-256"),
        ),
        migrations.AlterField(
            model_name="versionconvention",
            name="taille",
            field=models.PositiveIntegerField(null=True, verbose_name="taille (octets)"),
        ),
    ]
    operations += [
        operation
        for modele, chemin in (
            ("pieceversement", aides.conventions.models.convention.chemin_piece_convention),
            ("piecedemandeversement", aides.conventions.models.paiement.chemin_piece_paiement),
        )
        for operation in place_pour_defaire(modele, chemin)
    ]
