from django.urls import path

from aides.catalogue.views import alertes as views_alertes
from aides.catalogue.views import catalogue as views
from aides.catalogue.views import flux

urlpatterns = [
    path("aides/", views.catalogue, name="catalogue"),
    path("aides/export.csv", views.export_csv, name="export-csv"),
    path("aides/calendrier.ics", flux.calendrier, name="calendrier"),
    path("aides/flux.atom", flux.NouvellesAides(), name="flux"),
    # Before aides/<slug>/: « alertes » is not an aid.
    path("aides/alertes/", views_alertes.mes_alertes, name="mes-alertes"),
    path("aides/alertes/nouvelle/", views_alertes.alerte_nouvelle, name="alerte-nouvelle"),
    path("aides/alertes/confirmer/<str:jeton>/", views_alertes.alerte_confirmer, name="alerte-confirmer"),
    path("aides/alertes/desinscrire/<str:jeton>/", views_alertes.alerte_desinscrire, name="alerte-desinscrire"),
    path("aides/alertes/ouvrir/<str:jeton>/", views_alertes.alerte_ouvrir, name="alerte-ouvrir"),
    path("aides/alertes/gerer/<str:jeton>/", views_alertes.alertes_gerer, name="alertes-gerer"),
    path("aides/<slug:slug>/", views.detail, name="detail"),
    path("api/v1/aides/", views.api_aides, name="api"),
    path("api/v1/schema/", views.api_schema, name="api-schema"),
    path("api/v1/aides-territoires/", views.export_aides_territoires, name="export-aides-territoires"),
    path("api/v1/", views.api_documentation, name="api-documentation"),
]
