"""Each filter of the SAF dashboard's FilterSet narrows its conventions (aides/conventions/filters.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from aides.conventions.filters import ConventionTableauFilterSet
from aides.conventions.models.convention import ConventionAide, Etape
from aides.conventions.models.versement import Versement
from aides.conventions.selectors import conventions_tableau
from aides.conventions.tests.factories import convention_creee
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def tableau(user, parametres: str = "") -> set[ConventionAide]:
    requete = RequestFactory().get("/")
    requete.user = user
    base = conventions_tableau(jours_blocage=15)
    return set(ConventionTableauFilterSet(QueryDict(parametres), queryset=base, request=requete).qs)


def test_each_dashboard_filter_narrows_the_conventions():
    moi, collegue = AgentFactory(roles=[Role.GESTIONNAIRE_SAF]), AgentFactory(roles=[Role.GESTIONNAIRE_SAF])
    mienne = convention_creee(gestionnaire=moi)
    ancienne = convention_creee(gestionnaire=collegue)
    ConventionAide.objects.filter(pk=ancienne.pk).update(etape_depuis=timezone.now() - timedelta(days=400))
    Versement.objects.create(convention=mienne, type=Versement.Type.AVANCE, montant=Decimal("1000"), par=moi)
    autre_etape = next(e for e in Etape.values if e != mienne.etape)

    assert tableau(moi) == {mienne, ancienne}
    assert tableau(moi, "miennes=on") == {mienne}
    assert tableau(moi, "bloquees=on") == {ancienne}
    assert tableau(moi, "versements=on") == {mienne}
    assert tableau(moi, f"etape={mienne.etape}") == {mienne, ancienne}
    assert tableau(moi, f"etape={autre_etape}") == set()
    assert tableau(moi, f"dispositif={mienne.dispositif_id}") == {mienne}
    assert tableau(moi, f"direction={mienne.direction_id}") >= {mienne}


def test_a_reversed_period_is_explained_and_filters_nothing():
    moi = AgentFactory(roles=[Role.GESTIONNAIRE_SAF])
    mienne = convention_creee(gestionnaire=moi)
    requete = RequestFactory().get("/")
    requete.user = moi
    filtres = ConventionTableauFilterSet(
        QueryDict("miennes=on&debut=2026-05-01&fin=2026-01-01"),
        queryset=conventions_tableau(jours_blocage=15),
        request=requete,
    )
    assert mienne in filtres.qs
    assert "La fin de la période doit suivre son début." in str(filtres.errors["fin"])
