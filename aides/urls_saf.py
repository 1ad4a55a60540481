from django.urls import path

from . import views_saf as vues

app_name = "aides_saf"

urlpatterns = [
    path("", vues.tableau, name="tableau"),
    path("export.xlsx", vues.export_xlsx, name="export"),
    path("feder/", vues.feder, name="feder"),
    path("subventions.csv", vues.scdl, name="scdl"),
    path("demandes/<int:demande_pk>/convention/", vues.creer, name="creer"),
    path("conventions/<int:pk>/", vues.convention, name="convention"),
    path("conventions/<int:pk>/versions/<int:version_pk>/", vues.version_telecharger, name="version"),
    path("conventions/<int:pk>/pdf-statut/", vues.pdf_statut, name="pdf-statut"),
    path("conventions/<int:pk>/editer/", vues.editer, name="editer"),
    path("conventions/<int:pk>/envoyer/", vues.envoyer, name="envoyer"),
    path("conventions/<int:pk>/signer/", vues.signer_region, name="signer-region"),
    path("conventions/<int:pk>/notifier/", vues.notifier, name="notifier"),
    path("conventions/<int:pk>/executer/", vues.executer, name="executer"),
    path("conventions/<int:pk>/clore/", vues.clore, name="clore"),
    path("conventions/<int:pk>/versements/", vues.versement_creer, name="versement-creer"),
    path(
        "conventions/<int:pk>/versements/<int:versement_pk>/avancer/", vues.versement_avancer, name="versement-avancer"
    ),
    path("conventions/<int:pk>/pieces/<int:piece_pk>/", vues.piece_versement, name="piece"),
]
