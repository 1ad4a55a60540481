from django.urls import path

from . import views

app_name = "crm"

urlpatterns = [
    path("contact/", views.etre_contacte, name="contact"),
    path("contact/merci/", views.etre_contacte_merci, name="contact-merci"),
]
