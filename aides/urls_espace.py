from django.urls import path

from partenaires.views_diffusion import diffusion
from portal.limites import limite_requise

from . import views_espace as vues
from . import views_paiement as paiement

app_name = "espace"

urlpatterns = [
    path("", vues.accueil, name="accueil"),
    path("inscription/", limite_requise("inscription")(vues.inscription), name="inscription"),
    path("inscription/envoyee/", vues.inscription_envoyee, name="inscription-envoyee"),
    path("verification/", vues.verification_attente, name="verification-attente"),
    path("verification/<str:jeton>/", vues.verifier_email, name="verifier-email"),
    path("demandes/nouvelle/<slug:slug>/", vues.demande_nouvelle, name="nouvelle"),
    path("demandes/<int:pk>/", vues.demande_detail, name="demande"),
    path("demandes/<int:pk>/modifier/", vues.demande_modifier, name="modifier"),
    path("demandes/<int:pk>/repondre/", vues.demande_repondre, name="repondre"),
    path("demandes/<int:pk>/recepisse/", vues.recepisse, name="recepisse"),
    path("pieces/<int:pk>/", vues.piece_telecharger, name="piece"),
    path("pieces/<int:pk>/retirer/", vues.piece_supprimer, name="piece-retirer"),
    path("entreprise/changer/", vues.entreprise_changer, name="entreprise-changer"),
    path("entreprise/rattacher/", vues.rattachement_ajouter, name="rattacher"),
    path("membres/", vues.membres, name="membres"),
    path("citer-l-entreprise/", diffusion, name="diffusion"),
    path("membres/inviter/", vues.membre_inviter, name="inviter"),
    path("membres/<int:pk>/", vues.membre_detail, name="membre"),
    path("membres/<int:pk>/<str:quoi>/", vues.membre_justificatif, name="membre-fichier"),
    path("invitations/<int:pk>/annuler/", vues.invitation_annuler, name="invitation-annuler"),
    path("invitation/<str:jeton>/", vues.invitation, name="invitation"),
    path("conventions/", vues.conventions, name="conventions"),
    path("conventions/<int:pk>/", vues.convention, name="convention"),
    path("conventions/<int:pk>/pdf/<int:version_pk>/", vues.convention_pdf, name="convention-pdf"),
    path("conventions/<int:pk>/signer/", vues.convention_signer, name="convention-signer"),
    path("conventions/<int:pk>/scan/", vues.convention_scan, name="convention-scan"),
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
