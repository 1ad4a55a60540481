from django.urls import path

from . import views, views_avis

app_name = "partenaires"

urlpatterns = [
    path("", views.tableau, name="tableau"),
    path("orientations/<int:pk>/", views.orientation, name="orientation"),
    path("prescriptions/nouvelle/", views.prescription_nouvelle, name="prescription-nouvelle"),
    path("prescriptions/<int:pk>/", views.prescription, name="prescription"),
    path("epci/", views.epci, name="epci"),
    path("avis/", views_avis.avis_liste, name="avis-liste"),
    path("avis/<int:pk>/", views_avis.avis, name="avis"),
    path("epci/conventions/<int:pk>/signer/", views.convention_signer, name="convention-signer"),
    path("epci/ressources/<int:pk>/inscription/", views.inscription, name="inscription"),
    path("invitation/<str:jeton>/", views.invitation_accepter, name="invitation"),
]
