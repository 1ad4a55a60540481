from django.urls import path

from . import views

app_name = "pilotage"

urlpatterns = [
    path("pilotage/", views.tableaux, name="tableaux"),
    path("pilotage/export.xlsx", views.tableaux_xlsx, name="export"),
    path("pilotage/panel.xlsx", views.panel_xlsx, name="panel"),
    path("pilotage/rapports/", views.rapport_creer, name="rapport-creer"),
    path("pilotage/rapports/<uuid:pk>/", views.rapport, name="rapport"),
    path("pilotage/rapports/<uuid:pk>/fichier/", views.rapport_fichier, name="rapport-fichier"),
    path("aides/<int:pk>/statistiques/", views.dispositif_statistiques, name="dispositif"),
]
