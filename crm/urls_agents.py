from django.urls import path

from . import views, views_revues, views_revues_pages, views_structures

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
    path("revues/", views_revues_pages.revues_liste, name="revues"),
    path("revues/nouvelle/", views_revues_pages.revue_creer, name="revue-creer"),
    path("revues/<int:pk>/", views_revues_pages.revue_detail, name="revue-detail"),
    path("revues/<int:pk>/modifier/", views_revues_pages.revue_modifier, name="revue-modifier"),
    path("revues/<int:revue_pk>/points/", views_revues.point_ajouter, name="revue-point-ajouter"),
    path("revues/<int:revue_pk>/compte-rendu/", views_revues.compte_rendu_enregistrer, name="revue-compte-rendu"),
    path("revues/<int:revue_pk>/decisions/", views_revues.decision_ajouter, name="revue-decision-ajouter"),
    path("revues/<int:revue_pk>/documents/<str:type>/", views_revues.document_demander, name="revue-document-demander"),
    path("revues/points/<int:pk>/retirer/", views_revues.point_retirer, name="revue-point-retirer"),
    path("revues/documents/<uuid:pk>/", views_revues.document, name="revue-document"),
    path("revues/documents/<uuid:pk>/fichier/", views_revues.document_fichier, name="revue-document-fichier"),
    path("structures/", views_structures.structures, name="structures"),
    path(
        "structures/plusieurs-directions/",
        views_structures.plusieurs_directions,
        name="structures-plusieurs-directions",
    ),
    path(
        "structures/indicateurs-non-atteints/", views_structures.indicateurs_non_atteints, name="structures-indicateurs"
    ),
    path("structures/<int:pk>/", views_structures.structure, name="structure"),
    path("structures/<int:pk>/financements/", views_structures.financement_ajouter, name="financement-ajouter"),
    path(
        "structures/financements/<int:pk>/supprimer/",
        views_structures.financement_supprimer,
        name="financement-supprimer",
    ),
    path(
        "structures/financements/<int:pk>/indicateurs/",
        views_structures.indicateur_ajouter,
        name="indicateur-ajouter",
    ),
    path("structures/indicateurs/<int:pk>/realise/", views_structures.indicateur_mesurer, name="indicateur-mesurer"),
]
