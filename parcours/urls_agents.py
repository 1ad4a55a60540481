from django.urls import path

from . import views

app_name = "parcours_agents"

urlpatterns = [
    path("", views.agents_liste, name="liste"),
    path("nouveau/", views.agents_creer, name="creer"),
    path("<int:pk>/", views.agents_detail, name="detail"),
    path("<int:pk>/modifier/", views.agents_modifier, name="modifier"),
    path("<int:pk>/supprimer/", views.agents_supprimer, name="supprimer"),
]
