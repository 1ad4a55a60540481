"""The company space's page of partenaires (the company's consent to be named), under /espace/."""

from django.urls import path

from . import views_diffusion

app_name = "espace_partenaires"

urlpatterns = [
    path("citer-l-entreprise/", views_diffusion.diffusion, name="diffusion"),
]
