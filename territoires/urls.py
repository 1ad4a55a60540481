from django.urls import path

from . import views

app_name = "territoires"

urlpatterns = [
    path("communes/", views.communes_recherche, name="communes-recherche"),
]
