"""A test-only URLconf: the portal's URLs plus a view that fails, to see the 500 page."""

from django.urls import path

from portal.urls import urlpatterns as urlpatterns_portail


def vue_en_panne(request):
    raise RuntimeError("panne simulée pour les tests")


urlpatterns = [path("panne/", vue_en_panne), *urlpatterns_portail]
