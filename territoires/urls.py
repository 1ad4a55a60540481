from django.urls import path

from . import views, views_conventions

app_name = "territoires"

urlpatterns = [
    path("communes/", views.communes_recherche, name="communes-recherche"),
    path("<str:siren>/contacts/", views_conventions.contacts, name="contacts"),
]
