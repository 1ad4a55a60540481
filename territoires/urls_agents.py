from django.urls import path

from . import views, views_conventions

app_name = "territoires_agents"

urlpatterns = [
    path("", views_conventions.couverture, name="couverture"),
    path("couverture.csv", views_conventions.couverture_csv, name="couverture-csv"),
    path("epci/", views.epci_liste, name="epci-liste"),
    path("epci/<str:siren>/", views.epci_detail, name="epci-detail"),
    path("conventions/nouvelle/", views_conventions.convention_creer, name="convention-creer"),
    path("conventions/<int:pk>/", views_conventions.convention_detail, name="convention-detail"),
    path("conventions/<int:pk>/modifier/", views_conventions.convention_modifier, name="convention-modifier"),
    path("conventions/<int:pk>/statut/", views_conventions.convention_statut, name="convention-statut"),
    path("conventions/<int:pk>/engagements/", views_conventions.engagement_enregistrer, name="engagement-enregistrer"),
    path(
        "conventions/<int:pk>/engagements/<int:annee>/retirer/",
        views_conventions.engagement_supprimer,
        name="engagement-supprimer",
    ),
    path("conventions/<int:pk>/documents/", views_conventions.piece_ajouter, name="piece-ajouter"),
    path(
        "conventions/<int:pk>/documents/<int:piece_pk>/",
        views_conventions.piece_telecharger,
        name="piece-telecharger",
    ),
    path("affectations/", views_conventions.affectations, name="affectations"),
    path("affectations/<int:pk>/retirer/", views_conventions.affectation_supprimer, name="affectation-supprimer"),
    path("echeances/", views_conventions.echeances, name="echeances"),
    path("echeances/<int:pk>/activer/", views_conventions.echeance_activer, name="echeance-activer"),
]
