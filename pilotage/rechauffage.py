"""Warm the statistics cache after each rebuild of the table of facts (pilotage.tasks): the default
view of every statistics page is computed by the worker, so that the first visitor after a rebuild
reads it from the cache instead of waiting for it (0.1 to 0.3 s a page at 70,000 applications).

Default views (the current year, no other parameter): the dashboard's figures (every direction
together, and each direction), /agents/pilotage/ as first shown (cross-table by direction, map,
indicators, satisfaction, and its form), the section « Chiffres » and the statistics page of each
dispositif with facts this year, and the public /statistiques/ (its page, CSV and JSON share one
entry). Each entry is the one the page reads (the same functions), under the date of the facts just
rebuilt; it lasts STATISTIQUES_CACHE_SECONDES like any other. Already in the cache: not computed
again, so running it twice is running it once.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from aides.models import Dispositif
from portal.models import Direction

from .forms import TableauCroiseForm
from .models import Fait
from .pages import figures_html, formulaire_html
from .sections import chiffres_section
from .selectors import chiffres_direction, statistiques_dispositif, statistiques_publiques


@dataclass
class Rechauffage:
    directions: int = 0
    dispositifs: int = 0


def statistiques_rechauffer() -> Rechauffage | None:
    """Fill the cache with the default views (see the module's docstring); None when the statistics
    cache is off (STATISTIQUES_CACHE_SECONDES = 0)."""
    if not settings.STATISTIQUES_CACHE_SECONDES:
        return None
    annee = timezone.localdate().year
    bilan = Rechauffage()
    for direction_id in [None, *Direction.objects.values_list("pk", flat=True)]:
        chiffres_direction(annee, direction_id)
        bilan.directions += direction_id is not None
    form = TableauCroiseForm(None)
    formulaire_html(form, "")
    figures_html(form.criteres())
    statistiques_publiques(annee)
    actifs = Fait.objects.filter(jour__year=annee, dispositif__isnull=False).values("dispositif_id")
    for dispositif in Dispositif.objects.filter(pk__in=actifs).order_by("pk"):
        chiffres_section(dispositif.pk, annee)
        statistiques_dispositif(dispositif, annee)
        bilan.dispositifs += 1
    return bilan
