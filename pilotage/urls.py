from django.urls import path

from . import views_public

urlpatterns = [
    path("enquete/<str:jeton>/", views_public.enquete, name="enquete"),
    path("statistiques/", views_public.statistiques_page, name="statistiques"),
    path("statistiques/donnees.csv", views_public.statistiques_csv, name="statistiques-csv"),
    path("statistiques/donnees.json", views_public.statistiques_json, name="statistiques-json"),
]
