from django.urls import path

from aides.catalogue.views import agents as vues

urlpatterns = [
    path("aides/", vues.dispositif_liste, name="liste"),
    path("aides/nouveau/", vues.dispositif_creer, name="creer"),
    path("aides/<int:pk>/", vues.dispositif_detail, name="detail"),
    path("aides/<int:pk>/modifier/", vues.dispositif_modifier, name="modifier"),
    path("aides/<int:pk>/apercu/", vues.dispositif_apercu, name="apercu"),
    path("aides/<int:pk>/publier/", vues.dispositif_publier, name="publier"),
    path("aides/<int:pk>/depublier/", vues.dispositif_depublier, name="depublier"),
    path("aides/<int:pk>/archiver/", vues.dispositif_archiver, name="archiver"),
]
