from django.urls import path

from aides.conventions.views import paiement
from aides.conventions.views import saf as vues

urlpatterns = [
    path("", vues.tableau, name="tableau"),
    path("export.xlsx", vues.export_xlsx, name="export"),
    path("feder/", vues.feder, name="feder"),
    path("feder/operations/", paiement.feder_operations, name="feder-operations"),
    path("feder/operations/<int:pk>/", paiement.feder_operation, name="feder-operation"),
    path("feder/operations/<int:pk>/appels/", paiement.feder_appel_creer, name="feder-appel-creer"),
    path(
        "feder/operations/<int:pk>/appels/<int:appel_pk>/avancer/",
        paiement.feder_appel_avancer,
        name="feder-appel-avancer",
    ),
    path("feder/operations/<int:pk>/controles/", paiement.feder_controle, name="feder-controle"),
    path("subventions.csv", vues.scdl, name="scdl"),
    path("demandes/<int:demande_pk>/convention/", vues.creer, name="creer"),
    path("conventions/<int:pk>/", vues.convention, name="convention"),
    path("conventions/<int:pk>/versions/<int:version_pk>/", vues.version_telecharger, name="version"),
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
    # Issue 17: the companies' payment requests, final reports, repayments.
    path("versements/", paiement.file_versements, name="versements"),
    path("versements/export.xlsx", paiement.export_versements, name="versements-export"),
    path("versements/<int:dv_pk>/", paiement.versement_saf, name="versement"),
    path("versements/<int:dv_pk>/accepter/", paiement.versement_accepter, name="versement-accepter"),
    path("versements/<int:dv_pk>/complement/", paiement.versement_complement, name="versement-complement"),
    path("versements/<int:dv_pk>/refuser/", paiement.versement_refuser, name="versement-refuser"),
    path("versements/<int:dv_pk>/pieces/<int:piece_pk>/", paiement.versement_piece_saf, name="versement-piece"),
    path("conventions/<int:pk>/rapport/", paiement.rapport_saf, name="rapport"),
    path("conventions/<int:pk>/rapport/preuve/", paiement.rapport_preuve_saf, name="rapport-preuve"),
    path("conventions/<int:pk>/remboursements/", paiement.remboursements, name="remboursements"),
    path(
        "conventions/<int:pk>/remboursements/generer/", paiement.remboursements_generer, name="remboursements-generer"
    ),
    path(
        "conventions/<int:pk>/remboursements/<int:echeance_pk>/payee/", paiement.echeance_payee, name="echeance-payee"
    ),
    path(
        "conventions/<int:pk>/remboursements/importer/",
        paiement.remboursements_importer,
        name="remboursements-importer",
    ),
]
