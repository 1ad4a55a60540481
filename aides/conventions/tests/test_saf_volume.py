"""The SAF dashboard at volume: its list read in two index-ordered parts (same rows, same order as
`conventions_tableau`), its figures kept in the cache and always those of the current data."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.tests.factories import DispositifFactory
from aides.conventions.models.convention import Etape
from aides.conventions.selectors import conventions_tableau
from aides.conventions.tableau_saf import BloqueesDabord, comptes_courants, minute_courante
from aides.conventions.tests.factories import convention_creee, conventions_en_masse, pdf_genere
from crm.tests.factories import EtablissementFactory
from portal.models import Direction
from portal.roles import Role
from portal.tests.factories import AgentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def gestionnaire(db):
    return AgentFactory(roles=[Role.GESTIONNAIRE_SAF], direction=Direction.objects.get(code="DAEN"))


@pytest.fixture
def masse(db):
    return conventions_en_masse(
        120,
        etablissements=[EtablissementFactory(), EtablissementFactory()],
        dispositifs=[DispositifFactory(), DispositifFactory(direction=Direction.objects.get(code="DIPI"))],
        demandeur=UserFactory(roles=[Role.ENTREPRISE]),
        graine=7,
    )


def toutes_les_pages(objets, par_page: int) -> list:
    paginator = Paginator(objets, par_page)
    return [c for numero in paginator.page_range for c in paginator.page(numero).object_list]


@pytest.mark.parametrize("par_page", [1, 7, 50])
@pytest.mark.parametrize("counts_known", [False, True])
def test_the_two_part_list_has_the_rows_and_order_of_the_stalled_first_queryset(masse, par_page, counts_known):
    maintenant = minute_courante()
    qs = conventions_tableau(jours_blocage=15, maintenant=maintenant)
    attendu = list(qs)
    bloquees = sum(c.bloquee for c in attendu)
    assert 0 < bloquees < len(attendu) and any(not c.en_cours for c in attendu)  # every kind of row
    connus = {"total": len(attendu), "bloquees": bloquees} if counts_known else {}

    lues = toutes_les_pages(BloqueesDabord(qs, **connus), par_page)

    assert [c.pk for c in lues] == [c.pk for c in attendu]
    assert [c.bloquee for c in lues] == [c.bloquee for c in attendu]


def test_a_filtered_list_keeps_its_filter_in_both_parts(masse):
    qs = conventions_tableau(jours_blocage=15, maintenant=minute_courante(), etape=Etape.ENVOYEE)
    assert [c.pk for c in toutes_les_pages(BloqueesDabord(qs), 5)] == [c.pk for c in qs]


def test_the_per_step_counts_follow_a_change_at_once(gestionnaire):
    convention = convention_creee(gestionnaire=gestionnaire)
    maintenant = minute_courante()

    def a_editer() -> int:
        return next(
            c.nombre for c in comptes_courants(jours_blocage=15, maintenant=maintenant) if c.etape == "a_editer"
        )

    assert a_editer() == 1
    pdf_genere(convention)  # à éditer → éditée
    assert a_editer() == 0


def test_a_convention_becomes_stalled_on_the_dashboard_without_any_change(client, gestionnaire, settings):
    settings.SAF_JOURS_BLOCAGE = 15
    debut = timezone.now()
    with time_machine.travel(debut, tick=False):
        convention_creee(gestionnaire=gestionnaire)
    with time_machine.travel(debut + timedelta(days=14), tick=False):
        client.force_login(gestionnaire)
        assert not client.get(reverse("aides_saf:tableau")).context["lignes"][0][0].bloquee
    with time_machine.travel(debut + timedelta(days=16), tick=False):
        client.force_login(gestionnaire)
        reponse = client.get(reverse("aides_saf:tableau"))
        assert reponse.context["lignes"][0][0].bloquee
        assert sum(c.bloquees for c in reponse.context["comptes"]) == 1


def test_a_second_view_of_the_dashboard_reads_one_page_and_no_aggregate(client, gestionnaire, masse):
    client.force_login(gestionnaire)
    premiere = client.get(reverse("aides_saf:tableau"))
    with CaptureQueriesContext(connection) as requetes:
        seconde = client.get(reverse("aides_saf:tableau"))

    assert seconde.context["page"].paginator.count == premiere.context["page"].paginator.count == len(masse)
    sql = [q["sql"] for q in requetes.captured_queries]
    assert not any("GROUP BY" in s or "COUNT(" in s.upper() for s in sql)  # counts and delays from the cache
    liste = [s for s in sql if 'FROM "aides_conventionaide"' in s and "LIMIT" in s]
    # One page read in the index's order (stalled part, then the rest), never every row sorted.
    assert 1 <= len(liste) <= 2 and all(int(re.search(r"LIMIT (\d+)$", s)[1]) <= 50 for s in liste)
    assert all(s.endswith('"etape_depuis" ASC, "aides_conventionaide"."id" ASC LIMIT ' + s.split()[-1]) for s in liste)
