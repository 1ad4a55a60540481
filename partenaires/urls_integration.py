from django.urls import path

from . import views_integration

app_name = "integration"

urlpatterns = [
    path("<slug:cle>/aides/", views_integration.catalogue, name="catalogue"),
    path("<slug:cle>/contact/", views_integration.contact, name="contact"),
    path("<slug:cle>/contact/merci/", views_integration.contact_merci, name="contact-merci"),
]
