"""The staff list of dispositifs filters by name and state through its FilterSet (aides/catalogue/filters.py)."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from aides.catalogue.filters import DispositifAgentsFilterSet
from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.tests.factories import DispositifFactory

pytestmark = pytest.mark.django_db


def noms(parametres: str) -> set[str]:
    base = Dispositif.objects.filter(nom__startswith="Filtre ")
    return {d.nom for d in DispositifAgentsFilterSet(QueryDict(parametres), queryset=base).qs}


def test_each_filter_of_the_staff_list_narrows_it():
    DispositifFactory(nom="Filtre Numérique")
    DispositifFactory(nom="Filtre Export", date_cloture=timezone.localdate() - timedelta(days=1))
    DispositifFactory(nom="Filtre Brouillon", statut=Dispositif.Statut.BROUILLON)
    tous = {"Filtre Numérique", "Filtre Export", "Filtre Brouillon"}
    assert noms("") == tous
    assert noms("q=numerique") == {"Filtre Numérique"}  # accents ignored
    assert noms("statut=brouillon") == {"Filtre Brouillon"}
    assert noms("statut=publie") == {"Filtre Numérique", "Filtre Export"}
    assert noms("statut=cloture") == {"Filtre Export"}
    assert noms("statut=inconnu") == tous
