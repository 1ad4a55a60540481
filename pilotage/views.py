"""Staff pages of pilotage (/agents/pilotage/, /agents/aides/<pk>/statistiques/)."""

from django.shortcuts import render

from portal.acces import agent_requis


@agent_requis()
def tableaux(request):
    return render(request, "pilotage/tableaux.html", {})
