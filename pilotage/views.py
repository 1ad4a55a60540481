"""Staff pages of pilotage: /agents/pilotage/ (cross-tables, map, exports, yearly report) and the
statistics of one dispositif /agents/aides/<pk>/statistiques/.

Every agent reads them (aggregates, no personal data); the panel of company heads (personal data)
is exported by pilotage and administrators only.
"""

from django.shortcuts import render
from django.utils import timezone

from aides.views_agents import dispositif_ou_404
from portal.acces import agent_requis

from .selectors import statistiques_dispositif

ANNEE_MIN = 2015


def annee_demandee(request) -> int:
    """The `annee` GET parameter, or the current year when missing or out of range."""
    courante = timezone.localdate().year
    try:
        annee = int(request.GET.get("annee", courante))
    except ValueError:
        return courante
    return annee if ANNEE_MIN <= annee <= courante + 1 else courante


def annees_proposees() -> list[int]:
    courante = timezone.localdate().year
    return list(range(courante, courante - 6, -1))


@agent_requis()
def dispositif_statistiques(request, pk: int):
    dispositif = dispositif_ou_404(pk)
    annee = annee_demandee(request)
    return render(
        request,
        "pilotage/dispositif.html",
        {"dispositif": dispositif, "annees": annees_proposees(), **statistiques_dispositif(dispositif, annee)},
    )


@agent_requis()
def tableaux(request):
    return render(request, "pilotage/tableaux.html", {})
