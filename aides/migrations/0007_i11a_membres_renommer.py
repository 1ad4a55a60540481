from django.db import migrations


class Migration(migrations.Migration):
    """The one-user-one-company `Representant` becomes `Membre` (a company account has members)."""

    dependencies = [
        ("aides", "0006_versements_total_par_declencheur"),
        ("crm", "0004_revues_financements"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="representant", name="representant_a_verifier"),
        migrations.RenameModel(old_name="Representant", new_name="Membre"),
    ]
