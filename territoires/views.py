from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from portal.acces import agent_requis

from .models import EPCI


def communes_recherche(request):
    return JsonResponse({"resultats": []})


@agent_requis()
def epci_liste(request):
    return render(request, "territoires/epci_liste.html", {"epcis": EPCI.objects.all()})


@agent_requis()
def epci_detail(request, siren: str):
    epci = get_object_or_404(EPCI, siren=siren)
    return render(request, "territoires/epci_detail.html", {"epci": epci})
