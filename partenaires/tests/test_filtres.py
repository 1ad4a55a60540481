"""The embedded catalogue's FilterSet narrows the aids to one theme (partenaires/filters.py)."""

import pytest
from django.http import QueryDict

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.tests.factories import DispositifFactory
from partenaires.filters import CatalogueIntegreFilterSet

pytestmark = pytest.mark.django_db


def test_the_theme_filter_keeps_the_aids_of_that_theme_and_ignores_an_unknown_one():
    export = DispositifFactory(thematiques=["formation"])
    numerique = DispositifFactory(thematiques=["numerique"])
    base = Dispositif.objects.filter(pk__in=[export.pk, numerique.pk])
    assert set(CatalogueIntegreFilterSet(QueryDict("theme=numerique"), queryset=base).qs) == {numerique}
    assert set(CatalogueIntegreFilterSet(QueryDict("theme=inconnu"), queryset=base).qs) == {export, numerique}
    assert set(CatalogueIntegreFilterSet(QueryDict(""), queryset=base).qs) == {export, numerique}
