"""The company space's pages about its account and its applications (gathered in aides/urls.py)."""

from django.urls import path

from aides.demandes.views import coffre, comptes, espace, lettres, messagerie
from portal.limites import limite_requise

urlpatterns = [
    path("inscription/", limite_requise("inscription")(comptes.inscription), name="inscription"),
    path("inscription/envoyee/", comptes.inscription_envoyee, name="inscription-envoyee"),
    path("verification/", comptes.verification_attente, name="verification-attente"),
    path("verification/<str:jeton>/", comptes.verifier_email, name="verifier-email"),
    path("demandes/nouvelle/<slug:slug>/", espace.demande_nouvelle, name="nouvelle"),
    path("demandes/<int:pk>/", espace.demande_detail, name="demande"),
    path("demandes/<int:pk>/modifier/", espace.demande_modifier, name="modifier"),
    path("demandes/<int:pk>/repondre/", espace.demande_repondre, name="repondre"),
    path("demandes/<int:pk>/message/", messagerie.echange_entreprise, name="message"),
    path("demandes/<int:pk>/recepisse/", espace.recepisse, name="recepisse"),
    path("demandes/<int:pk>/lettres/<int:lettre_pk>/", lettres.lettre_entreprise, name="lettre"),
    path("pieces/<int:pk>/", espace.piece_telecharger, name="piece"),
    path("pieces/<int:pk>/retirer/", espace.piece_supprimer, name="piece-retirer"),
    path("entreprise/changer/", espace.entreprise_changer, name="entreprise-changer"),
    path("entreprise/rattacher/", comptes.rattachement_ajouter, name="rattacher"),
    path("coffre/", coffre.coffre, name="coffre"),
    path("coffre/<int:pk>/", coffre.coffre_document, name="coffre-document"),
    path("membres/", comptes.membres, name="membres"),
    path("membres/inviter/", comptes.membre_inviter, name="inviter"),
    path("membres/<int:pk>/", comptes.membre_detail, name="membre"),
    path("membres/<int:pk>/<str:quoi>/", comptes.membre_justificatif, name="membre-fichier"),
    path("invitations/<int:pk>/annuler/", comptes.invitation_annuler, name="invitation-annuler"),
    path("invitation/<str:jeton>/", comptes.invitation, name="invitation"),
]
