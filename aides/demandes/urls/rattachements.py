"""Staff queue of company attachment requests (/agents/rattachements/, gathered in aides/urls.py)."""

from django.urls import path

from aides.demandes.views import rattachements

urlpatterns = [
    path("rattachements/", rattachements.liste, name="rattachements"),
    path("rattachements/<int:pk>/", rattachements.detail, name="rattachement"),
    path("rattachements/<int:pk>/justificatif/", rattachements.justificatif, name="rattachement-justificatif"),
]
