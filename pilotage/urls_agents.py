from django.urls import path

from . import views

app_name = "pilotage"

urlpatterns = [
    path("pilotage/", views.tableaux, name="tableaux"),
    path("aides/<int:pk>/statistiques/", views.dispositif_statistiques, name="dispositif"),
]
