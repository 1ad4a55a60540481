from django.urls import path

from . import views

app_name = "crm_agents"

urlpatterns = [
    path("", views.recherche, name="recherche"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("entreprises/nouvelle/", views.entreprise_nouvelle, name="entreprise-nouvelle"),
    path("entreprises/<str:siren>/", views.entreprise, name="entreprise"),
    path("entreprises/<str:siren>/referent/", views.referent_changer, name="referent"),
    path("entreprises/<str:siren>/etablissements/nouveau/", views.etablissement_nouveau, name="etablissement-nouveau"),
    path("entreprises/<str:siren>/contacts/nouveau/", views.contact_nouveau, name="contact-nouveau"),
    path("entreprises/<str:siren>/interactions/nouvelle/", views.interaction_nouvelle, name="interaction-nouvelle"),
    path("entreprises/<str:siren>/taches/nouvelle/", views.tache_nouvelle, name="tache-nouvelle"),
    path("interactions/", views.mes_interactions, name="mes-interactions"),
    path("interactions/<int:pk>/", views.interaction, name="interaction"),
    path("interactions/<int:pk>/modifier/", views.interaction_modifier, name="interaction-modifier"),
    path("taches/<int:pk>/terminer/", views.tache_terminer, name="tache-terminer"),
    path("contacts/<int:pk>/donnees/", views.contact_export, name="contact-export"),
    path("donnees-personnelles/", views.personne_export, name="personne-export"),
    path("sollicitations/", views.sollicitations, name="sollicitations"),
    path("sollicitations/nouvelle/", views.sollicitation_nouvelle, name="sollicitation-nouvelle"),
    path("sollicitations/<int:pk>/", views.sollicitation, name="sollicitation"),
]
