"""After each rebuild of the table of facts, the task warms the statistics cache with every page's
default view: the first visitor after a rebuild reads the figures the worker computed (the same as
an uncached computation) and no query touches the tables of facts."""

import re
from decimal import Decimal
from hashlib import md5

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aides.models import Statut
from pilotage.agregats import agregats_calcules_le
from pilotage.forms import TableauCroiseForm
from pilotage.models import Fait
from pilotage.pages import cle_criteres, figures_html, formulaire_html
from pilotage.rechauffage import statistiques_rechauffer
from pilotage.sections import chiffres_section
from pilotage.selectors import chiffres_direction, statistiques_dispositif, statistiques_publiques
from pilotage.tasks import agregats_rafraichir_tache
from portal.models import Direction
from portal.roles import Role

from . import donnees as d
from .donnees import le

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_statistiques(settings):
    settings.STATISTIQUES_CACHE_SECONDES = 300
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def annee_en_cours(db):
    """This year's facts: two applications to a dispositif of the DAEN (one granted), a request."""
    annee = timezone.localdate().year
    dispositif = d.DispositifFactory(direction=d.direction("DAEN"), thematiques=["innovation"])
    e1, e2 = d.etablissement("80021"), d.etablissement("59350")
    d.demande(
        dispositif=dispositif, etablissement=e1, statut=Statut.ACCORDEE, depose=le(annee, 1, 2),
        decide=le(annee, 1, 3), montant_accorde=Decimal("8000"),
    )  # fmt: skip
    d.demande(dispositif=dispositif, etablissement=e2, statut=Statut.DEPOSEE, depose=le(annee, 1, 2))
    d.sollicitation(recue=le(annee, 1, 2), entreprise=e2.entreprise)
    return annee, dispositif


def _en_cache(cle: str):
    """What the cache holds under a statistics key, for the date of the facts now."""
    return cache.get(f"pilotage:{agregats_calcules_le().timestamp()}:{cle}")


def _sans_cache(settings, calcul):
    settings.STATISTIQUES_CACHE_SECONDES = 0
    try:
        return calcul()
    finally:
        settings.STATISTIQUES_CACHE_SECONDES = 300


def _sans_ids(valeur) -> str:
    """The figures as text, with the SVG ids of the maps and charts (numbered per render: carte-1,
    graphique-7…) left out: everything else must be the same."""
    return re.sub(r"(carte|graphique)-\d+-", r"\1-n-", repr(valeur))


def _lectures_des_faits(requetes) -> list[str]:
    return [q["sql"] for q in requetes.captured_queries if "pilotage_fait" in q["sql"]]


def test_after_a_rebuild_the_cache_holds_each_default_view_with_the_uncached_figures(
    cache_statistiques, annee_en_cours
):
    annee, dispositif = annee_en_cours
    assert agregats_rafraichir_tache(periodique=False) == Fait.objects.count() > 0
    daen = d.direction("DAEN").pk
    criteres = TableauCroiseForm(None).criteres()
    attendus = {
        f"chiffres:{annee}:None": lambda: chiffres_direction(annee, None),
        f"chiffres:{annee}:{daen}": lambda: chiffres_direction(annee, daen),
        f"page:{cle_criteres(criteres)}": lambda: figures_html(criteres),
        f"formulaire:{md5(b'').hexdigest()}": lambda: formulaire_html(TableauCroiseForm(None), ""),
        f"publiques:{annee}": lambda: statistiques_publiques(annee),
        f"section:{dispositif.pk}:{annee}": lambda: chiffres_section(dispositif.pk, annee),
        f"dispositif:{dispositif.pk}:{annee}": lambda: statistiques_dispositif(dispositif, annee),
    }
    for cle, calcul in attendus.items():
        garde = _en_cache(cle)
        assert garde is not None, cle
        assert _sans_ids(garde) == _sans_ids(_sans_cache(cache_statistiques, calcul)), cle
    chiffres = _en_cache(f"chiffres:{annee}:None")
    assert (chiffres["deposees"], chiffres["accordees"], chiffres["sollicitations"]) == (2, 1, 1)
    assert _en_cache(f"section:{dispositif.pk}:{annee}")[0]["accordees"] == 1


def test_the_first_visitor_after_a_rebuild_reads_no_fact(cache_statistiques, annee_en_cours, client, creer_agent):
    _annee, dispositif = annee_en_cours
    agregats_rafraichir_tache(periodique=False)
    client.force_login(creer_agent(Role.PILOTAGE, direction=d.direction("DAEN")))
    for url in (
        "/agents/",
        reverse("pilotage:tableaux"),
        reverse("pilotage:dispositif", args=[dispositif.pk]),
        reverse("aides_agents:detail", args=[dispositif.pk]),
        reverse("statistiques"),
        reverse("statistiques-json"),
    ):
        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(url)
        assert reponse.status_code == 200, url
        assert _lectures_des_faits(requetes) == [], url
    page = client.get(reverse("pilotage:tableaux")).content.decode()
    assert '<table class="table table-sm table-striped" id="tableau-croise">' in page  # HTML, not escaped
    assert '<select name="lignes"' in page


def test_warming_twice_computes_once(cache_statistiques, annee_en_cours):
    agregats_rafraichir_tache(periodique=False)
    with CaptureQueriesContext(connection) as requetes:
        bilan = statistiques_rechauffer()
    assert (bilan.directions, bilan.dispositifs) == (Direction.objects.count(), 1)
    (seule,) = _lectures_des_faits(requetes)  # which dispositifs have facts this year; no figure again
    assert seule.startswith('SELECT "aides_dispositif"."id"')


def test_without_the_statistics_cache_nothing_is_warmed(settings, annee_en_cours):
    settings.STATISTIQUES_CACHE_SECONDES = 0
    assert statistiques_rechauffer() is None
