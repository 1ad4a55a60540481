from django.urls import path

from aides.demandes.views import instruction as vues
from aides.demandes.views import lettres

urlpatterns = [
    path("", vues.boite, name="boite"),
    path("lot/", vues.lot, name="lot"),
    path("<int:pk>/", vues.demande, name="demande"),
    path("<int:pk>/lettres/<int:lettre_pk>/", lettres.lettre_instruction, name="lettre"),
    path("<int:pk>/lettres/regenerer/", lettres.lettre_regenerer_vue, name="lettre-regenerer"),
    path("<int:pk>/attribuer/", vues.assigner, name="assigner"),
    path("<int:pk>/commencer/", vues.commencer, name="commencer"),
    path("<int:pk>/complement/", vues.complement, name="complement"),
    path("<int:pk>/decision/", vues.decider, name="decider"),
    path("<int:pk>/annotation/", vues.annoter, name="annoter"),
]
