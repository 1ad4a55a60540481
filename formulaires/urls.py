from django.urls import path

from . import views

app_name = "formulaires"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/apercu/", views.apercu, name="apercu"),
    path("<int:pk>/publier/", views.publier, name="publier"),
    path("<int:pk>/sections/nouvelle/", views.section, name="section-nouvelle"),
    path("<int:pk>/sections/<int:section_pk>/", views.section, name="section"),
    path("<int:pk>/sections/<int:section_pk>/questions/nouvelle/", views.champ, name="champ-nouveau"),
    path("<int:pk>/sections/<int:section_pk>/questions/<int:champ_pk>/", views.champ, name="champ"),
]
