"""The demo of project reviews and partners' fundings: two reviews, several directions, missed indicators."""

import io

import pytest
from django.utils import timezone

from crm import demo, demo_revues
from crm.models import FinancementStructure, Indicateur, PointRevue, Tache
from crm.structures import structures_plusieurs_directions
from portal import demo as portal_demo
from territoires.models import RevueDeProjets

pytestmark = pytest.mark.django_db


def test_the_demo_holds_two_reviews_and_fundings_by_several_directions_and_is_idempotent():
    sortie = io.StringIO()
    portal_demo.charger(sortie)
    demo.charger(sortie)
    demo_revues.charger(sortie)
    demo_revues.charger(sortie)
    revues = list(RevueDeProjets.objects.filter(demo=True).order_by("date"))
    assert [r.statut for r in revues] == [RevueDeProjets.Statut.TENUE, RevueDeProjets.Statut.PLANIFIEE]
    tenue, planifiee = revues
    assert planifiee.date == tenue.prochaine_date_suggeree
    assert PointRevue.objects.filter(revue=tenue).exclude(compte_rendu="").count() == 2
    assert Tache.objects.filter(point_revue__revue=tenue).count() == 2
    assert PointRevue.objects.filter(revue=planifiee).count() == 2
    annee = timezone.localdate().year
    assert structures_plusieurs_directions(annee=annee).count() >= 4
    assert Indicateur.objects.non_atteints().filter(financement__annee=annee).exists()
    assert FinancementStructure.objects.values("structure").distinct().count() >= 10
