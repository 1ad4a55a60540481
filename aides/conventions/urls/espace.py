"""The company space's home page and its aid conventions, signature and payments (gathered in aides/urls.py)."""

from django.urls import path

from aides.conventions.views import espace, paiement

urlpatterns = [
    path("", espace.accueil, name="accueil"),
    path("conventions/", espace.conventions, name="conventions"),
    path("conventions/<int:pk>/", espace.convention, name="convention"),
    path("conventions/<int:pk>/pdf/<int:version_pk>/", espace.convention_pdf, name="convention-pdf"),
    path("conventions/<int:pk>/signer/", espace.convention_signer, name="convention-signer"),
    path("conventions/<int:pk>/scan/", espace.convention_scan, name="convention-scan"),
    path("conventions/<int:pk>/versements/nouvelle/", paiement.versement_nouvelle, name="versement-nouvelle"),
    path("conventions/<int:pk>/versements/<int:dv_pk>/", paiement.versement, name="versement"),
    path(
        "conventions/<int:pk>/versements/<int:dv_pk>/repondre/", paiement.versement_repondre, name="versement-repondre"
    ),
    path(
        "conventions/<int:pk>/versements/<int:dv_pk>/pieces/<int:piece_pk>/",
        paiement.versement_piece,
        name="versement-piece",
    ),
    path(
        "conventions/<int:pk>/versements/<int:dv_pk>/pieces/<int:piece_pk>/retirer/",
        paiement.versement_piece_retirer,
        name="versement-piece-retirer",
    ),
    path("conventions/<int:pk>/rapport/", paiement.rapport, name="rapport"),
    path("conventions/<int:pk>/rapport/preuve/", paiement.rapport_preuve, name="rapport-preuve"),
]
