from django.urls import path

from aides.demandes.views import instruction as vues

urlpatterns = [
    path("", vues.boite, name="boite"),
    path("<int:pk>/", vues.demande, name="demande"),
    path("<int:pk>/attribuer/", vues.assigner, name="assigner"),
    path("<int:pk>/commencer/", vues.commencer, name="commencer"),
    path("<int:pk>/complement/", vues.complement, name="complement"),
    path("<int:pk>/decision/", vues.decider, name="decider"),
    path("<int:pk>/annotation/", vues.annoter, name="annoter"),
]
