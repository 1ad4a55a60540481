"""Issue 12: the files of applications, of the company safe, of members and the decision letters move
to portal.Document. 1. the links (then 0036 copies, 0037 drops the old columns; three migrations, so
that PostgreSQL never alters a table with rows changed in the same transaction). The old columns
become blank and a letter's job key loses its uniqueness here (no change in the database): unapplying
0037 can then add them back to rows that have values again once 0036 is unapplied."""

import django.db.models.deletion
from django.db import migrations, models

import aides.demandes.models.coffre
import aides.demandes.models.demande


def _document(nom: str, verbose_name: str, *, plusieurs: bool = False, cascade: bool = False):
    genre = models.ForeignKey if plusieurs else models.OneToOneField
    return genre(
        "portal.document",
        null=True,
        blank=True,
        on_delete=django.db.models.deletion.CASCADE if cascade else django.db.models.deletion.PROTECT,
        related_name=nom,
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("aides", "0034_i12conv_documents_fin"),
        ("portal", "0007_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="lettredecision",
            name="document",
            field=_document("lettre_decision", "lettre", cascade=True),
        ),
        migrations.AlterField(
            model_name="lettredecision", name="cle", field=models.CharField(max_length=64, blank=True, default="")
        ),
        migrations.AlterField(
            model_name="lettredecision",
            name="fichier",
            field=models.FileField(blank=True, upload_to="demandes/lettres/%Y/%m/", verbose_name="lettre"),
        ),
        migrations.AlterField(
            model_name="lettredecision", name="sha256", field=models.CharField(max_length=64, blank=True)
        ),
        migrations.AlterField(
            model_name="piecejointe",
            name="fichier",
            field=models.FileField(
                blank=True,
                max_length=200,
                upload_to=aides.demandes.models.demande.chemin_piece,
                verbose_name="fichier",
            ),
        ),
        migrations.AlterField(
            model_name="documententreprise",
            name="fichier",
            field=models.FileField(
                blank=True,
                max_length=200,
                upload_to=aides.demandes.models.coffre.chemin_coffre,
                verbose_name="fichier",
            ),
        ),
        migrations.AddField(
            model_name="piecejointe", name="document", field=_document("pieces_demande", "fichier", plusieurs=True)
        ),
        migrations.AddField(
            model_name="documententreprise", name="document", field=_document("document_coffre", "fichier")
        ),
        migrations.RenameField(model_name="membre", old_name="justificatif", new_name="justificatif_ancien"),
        migrations.RenameField(
            model_name="membre", old_name="delegation_document", new_name="delegation_document_ancien"
        ),
        migrations.AddField(
            model_name="membre",
            name="justificatif",
            field=_document("membre_justificatif", "justificatif (Kbis, mandat)"),
        ),
        migrations.AddField(
            model_name="membre",
            name="delegation_document",
            field=_document("membre_delegation", "acte de délégation"),
        ),
    ]
