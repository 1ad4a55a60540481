from django.urls import path

from . import views

app_name = "parcours"

urlpatterns = [
    path("", views.questions, name="questions"),
    path("contact/", views.contact, name="contact"),
    path("contact/<uuid:jeton>/", views.contact_envoye, name="contact-envoye"),
    path("synthese/", views.synthese_demander, name="synthese-demander"),
    path("synthese/<uuid:pk>/", views.synthese, name="synthese"),
    path("synthese/<uuid:pk>/fichier/", views.synthese_fichier, name="synthese-fichier"),
]
