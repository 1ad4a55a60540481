from django.urls import path

from aides.demandes.views import boite, lettres, messagerie
from aides.demandes.views import instruction as vues

urlpatterns = [
    path("", boite.boite, name="boite"),
    path("filtres/", boite.filtre_enregistrer_vue, name="filtre-enregistrer"),
    path("filtres/<int:pk>/supprimer/", boite.filtre_supprimer_vue, name="filtre-supprimer"),
    path("exports/", boite.export_demander_vue, name="export-demander"),
    path("exports/<int:pk>/", boite.export_page, name="export"),
    path("exports/<int:pk>/fichier/", boite.export_fichier, name="export-fichier"),
    path("lot/", vues.lot, name="lot"),
    path("<int:pk>/", vues.demande, name="demande"),
    path("<int:pk>/lettres/<int:lettre_pk>/", lettres.lettre_instruction, name="lettre"),
    path("<int:pk>/lettres/regenerer/", lettres.lettre_regenerer_vue, name="lettre-regenerer"),
    path("<int:pk>/attribuer/", vues.assigner, name="assigner"),
    path("<int:pk>/commencer/", vues.commencer, name="commencer"),
    path("<int:pk>/complement/", vues.complement, name="complement"),
    path("<int:pk>/decision/", vues.decider, name="decider"),
    path("<int:pk>/annotation/", vues.annoter, name="annoter"),
    path("<int:pk>/message/", messagerie.echange_instruction, name="message"),
    path("<int:pk>/avis/", messagerie.avis_demander, name="avis-demander"),
    path("avis/", messagerie.avis_a_rendre, name="avis-liste"),
    path("avis/<int:pk>/", messagerie.avis_expert, name="avis"),
]
