"""An EPCI or partner user asked for an expert opinion on an application answers here (the page is
aides.demandes.views.messagerie.avis_page; only the expert asked reaches it, anybody else gets 404)."""

from aides.demandes.views.messagerie import avis_liste_page, avis_page

from .acces import membre_requis


@membre_requis()
def avis(request, pk: int):
    return avis_page(request, pk, gabarit_base="partenaires/base.html", liste="partenaires:avis-liste")


@membre_requis()
def avis_liste(request):
    return avis_liste_page(request, gabarit_base="partenaires/base.html", lien="partenaires:avis")
