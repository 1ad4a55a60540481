import io

import pytest
from django.core.management import call_command

from crm.models import Etablissement

pytestmark = pytest.mark.django_db


def test_generer_volume_imports_generated_sirene_establishments_of_the_region():
    sortie = io.StringIO()
    call_command("generer_volume", etablissements=40, stdout=sortie)

    importes = Etablissement.objects.count()
    assert importes >= 40  # the generator rounds up to whole companies with several sites
    assert f"{importes} établissements importés" in sortie.getvalue()
    assert not Etablissement.objects.filter(commune__isnull=True).exists()
