"""Each filter of the territories' FilterSets narrows its list (territoires/filters.py), by the pages' GET names."""

import pytest
from django.http import QueryDict

from portal.models import Direction
from territoires.filters import AffectationFilterSet, EPCIFilterSet
from territoires.models import EPCI, Affectation
from territoires.selectors import epci_lister

from .factories import AffectationFactory

pytestmark = pytest.mark.django_db


def donnees(**parametres) -> QueryDict:
    q = QueryDict(mutable=True)
    q.update(parametres)
    return q


def test_the_epci_list_filters_by_departement_and_sorts():
    somme = EPCIFilterSet(donnees(departement="80"), queryset=epci_lister()).qs
    assert somme.count() == EPCI.objects.filter(departements__code="80").count() < EPCI.objects.count()
    populations = [e.population for e in EPCIFilterSet(donnees(tri="population"), queryset=epci_lister()).qs[:5]]
    assert populations == sorted(populations, reverse=True)
    noms = [e.nom for e in EPCIFilterSet(donnees(), queryset=epci_lister()).qs[:5]]
    assert noms == sorted(noms)


def test_an_unknown_departement_is_an_error_and_filters_nothing():
    filtres = EPCIFilterSet(donnees(departement="75"), queryset=epci_lister())
    assert filtres.qs.count() == EPCI.objects.count()
    assert "Choisissez un des cinq départements" in str(filtres.errors["departement"])


def test_the_assignments_filter_by_departement_direction_and_text(creer_agent):
    somme = EPCI.objects.filter(departements__code="80").first()
    nord = EPCI.objects.filter(departements__code="59").exclude(departements__code="80").first()
    dfp = Direction.objects.get(code="DFP")
    a_somme = AffectationFactory(epci=somme, agent=creer_agent(last_name="Vasseur"))
    a_nord = AffectationFactory(epci=nord, agent=creer_agent(last_name="Lemaire", direction=dfp))

    def lignes(**parametres) -> set[Affectation]:
        return set(AffectationFilterSet(donnees(**parametres), queryset=Affectation.objects.all()).qs)

    assert lignes() == {a_somme, a_nord}
    assert lignes(departement="80") == {a_somme}
    assert lignes(direction="DFP") == {a_nord}
    assert lignes(q="vasseur") == {a_somme}
    assert lignes(q=nord.nom[:8]) >= {a_nord}
