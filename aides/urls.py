from django.urls import path

from . import views

app_name = "aides"

urlpatterns = [
    path("aides/", views.catalogue, name="catalogue"),
    path("aides/export.csv", views.export_csv, name="export-csv"),
    path("aides/<slug:slug>/", views.detail, name="detail"),
    path("api/v1/aides/", views.api_aides, name="api"),
]
