from django.urls import path

from . import views_public

urlpatterns = [
    path("enquete/<str:jeton>/", views_public.enquete, name="enquete"),
]
