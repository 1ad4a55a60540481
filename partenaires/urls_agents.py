from django.urls import path

from . import views

app_name = "partenaires_agents"

urlpatterns = [
    path("inviter/", views.inviter, name="inviter"),
]
