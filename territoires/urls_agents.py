from django.urls import path

from . import views

app_name = "territoires_agents"

urlpatterns = [
    path("epci/", views.epci_liste, name="epci-liste"),
    path("epci/<str:siren>/", views.epci_detail, name="epci-detail"),
]
