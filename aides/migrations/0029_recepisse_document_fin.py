"""3. The old columns go: the receipt's file and preparation live in portal.Document."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("aides", "0028_recepisse_document_reprise")]

    operations = [
        migrations.RemoveField(model_name="demande", name="recepisse_ancien"),
        migrations.RemoveField(model_name="demande", name="recepisse_sha256"),
    ]
