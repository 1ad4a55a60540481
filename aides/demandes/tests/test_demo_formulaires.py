"""Demo forms: idempotent, labelled demo, one demo dispositif gets its own form."""

from io import StringIO

import pytest

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes import demo_formulaires
from aides.demandes.models.coffre import DocumentEntreprise
from formulaires.models import Formulaire

pytestmark = pytest.mark.django_db


def test_demo_forms_load_twice_and_are_labelled_demo():
    DispositifFactory(demo=True, statut="publie", thematiques=["export-attractivite"])
    for _ in range(2):
        demo_formulaires.charger(StringIO())
    formulaire = Formulaire.objects.get(demo=True)
    assert "(démo)" in formulaire.nom and formulaire.version_courante().numero == 1
    assert Dispositif.objects.get(formulaire=formulaire).demo
    assert Formulaire.objects.filter(code="defaut").count() == 1
    assert DocumentEntreprise.objects.filter(demo=True, type="kbis").count() == 1
