"""A test-only URLconf: the portal's URLs plus a view that fails (500) and one that refuses (403)."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from portal.urls import urlpatterns as urlpatterns_portail


def vue_en_panne(request):
    raise RuntimeError("panne simulée pour les tests")


def vue_interdite(request):
    raise PermissionDenied("accès refusé pour les tests")


urlpatterns = [path("panne/", vue_en_panne), path("interdit/", vue_interdite), *urlpatterns_portail]
