"""Company accounts: attachment requests and their verification, invitations, members' roles and
signing capacities. Every write checks who acts (a verified administrator of the company, or an
agent for the staff queue), runs in one transaction, and emails through the outbox after commit.
"""

import hashlib
import secrets
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aides.demandes.documents import GENRE_DELEGATION, GENRE_JUSTIFICATIF
from aides.demandes.models.espace import Invitation, Membre
from aides.demandes.services.demande import _verifier_sans_balise, siret_verifier
from crm.models import Entreprise, Etablissement
from portal.documents import document_deposer, documents_liberer
from portal.models import User
from portal.permissions import MATRICE, peut
from portal.roles import Role
from portal.services import notification_creer
from portal.verification import FichierVerifie

VALIDITE_INVITATION = timedelta(days=7)


ROLES_RATTACHEMENT = MATRICE[("rattachement", "verifier")]


def peut_verifier_rattachements(user: User) -> bool:
    return peut(user, "rattachement", "verifier")


def _administrateurs(entreprise_id: int) -> list[User]:
    return [
        m.utilisateur
        for m in Membre.objects.administrateurs()
        .filter(entreprise_id=entreprise_id, utilisateur__is_active=True)
        .select_related("utilisateur")
    ]


def _administrateur_verifie(par: User, entreprise_id: int) -> Membre:
    membre = Membre.objects.filter(utilisateur=par, entreprise_id=entreprise_id).first()
    if membre is None or not membre.est_administrateur:
        raise PermissionDenied("Seul un administrateur vérifié du compte de l'entreprise gère ses membres.")
    return membre


def _etablissement_principal(entreprise: Entreprise) -> Etablissement:
    etablissement = entreprise.etablissements.order_by("-siege", "-actif", "pk").first()
    if etablissement is None:
        raise ValidationError("Cette entreprise n'a aucun établissement connu de la Région.")
    return etablissement


def _email_deja_verifie(user: User):
    return (
        Membre.objects.filter(utilisateur=user, email_verifie_le__isnull=False)
        .values_list("email_verifie_le", flat=True)
        .first()
    )


# --- Attachment requests ------------------------------------------------------------------------


@transaction.atomic
def rattachement_creer(
    *, utilisateur: User, etablissement: Etablissement, justificatif: FichierVerifie | None = None, message: str = ""
) -> Membre:
    """An attachment request (never access): verified later by an administrator of the company,
    or by staff. The company's verified administrators are emailed."""
    entreprise = etablissement.entreprise
    existant = Membre.objects.filter(utilisateur=utilisateur, entreprise=entreprise).first()
    if existant is not None and existant.statut in (Membre.Statut.VERIFIE, Membre.Statut.A_VERIFIER):
        raise ValidationError(
            {"siret": f"Vous êtes déjà rattaché(e) à {entreprise.denomination} (ou votre demande est en cours)."}
        )
    membre = existant or Membre(utilisateur=utilisateur, entreprise=entreprise)
    membre.etablissement = etablissement
    membre.statut = Membre.Statut.A_VERIFIER
    membre.role = Membre.Role.MEMBRE
    membre.capacite = Membre.Capacite.AUCUNE
    membre.message = message
    membre.motif_refus = ""
    membre.verifie_le = None
    membre.verifie_par = None
    membre.voie = ""
    membre.email_verifie_le = _email_deja_verifie(utilisateur)
    remplace = None
    if justificatif is not None:
        membre.justificatif_nom = justificatif.nom_original
        remplace = membre.justificatif_id
        membre.justificatif = document_deposer(justificatif, genre=GENRE_JUSTIFICATIF, par=utilisateur)
    membre.full_clean()
    membre.save()
    documents_liberer([remplace])  # the justificatif of a former request, replaced
    for admin in _administrateurs(entreprise.pk):
        notification_creer(
            gabarit="rattachement_demande",
            destinataire=admin,
            contexte={"membre": membre, "entreprise": entreprise, "lien": reverse("espace:membres")},
        )
    return membre


@transaction.atomic
def rattachement_demander(
    *, utilisateur: User, siret: str, justificatif: FichierVerifie | None = None, message: str = ""
) -> Membre:
    """A person who already has an account asks to act for another company (known to the CRM)."""

    siret = siret_verifier(siret)
    etablissement = Etablissement.objects.select_related("entreprise").filter(siret=siret).first()
    if etablissement is None:
        raise ValidationError(
            {"siret": "Cet établissement n'est pas encore connu de la Région : contactez-nous pour l'enregistrer."}
        )
    return rattachement_creer(
        utilisateur=utilisateur, etablissement=etablissement, justificatif=justificatif, message=message
    )


@transaction.atomic
def rattachement_decider(*, membre_id: int, par: User, accepter: bool, motif: str = "", role: str = "") -> Membre:
    """Accept or refuse an attachment request: by a verified administrator of the company, or by
    staff (the only way for a company that has no verified member yet; the first verified member
    becomes its administrator). A refusal is motivated; the requester is emailed either way."""
    membre = Membre.objects.select_for_update().select_related("entreprise", "utilisateur").get(pk=membre_id)
    par_agent = peut_verifier_rattachements(par)
    if not par_agent:
        _administrateur_verifie(par, membre.entreprise_id)
    if membre.statut != Membre.Statut.A_VERIFIER:
        raise ValidationError(
            f"Cette demande de rattachement est déjà traitée (« {membre.get_statut_display().lower()} »)."
        )
    if not accepter and not motif.strip():
        raise ValidationError({"motif": "Motivez le refus : le motif est envoyé au demandeur."})
    maintenant = timezone.now()
    membre.verifie_par = par
    membre.verifie_le = maintenant
    if accepter:
        # Serialise the decisions of one company: « no verified member yet » must stay true.
        list(Entreprise.objects.select_for_update().filter(pk=membre.entreprise_id).values("pk"))
        premier = not Membre.objects.verifies().filter(entreprise_id=membre.entreprise_id).exists()
        membre.statut = Membre.Statut.VERIFIE
        membre.voie = Membre.Voie.AGENTS if par_agent else Membre.Voie.ADMINISTRATEUR
        if premier:
            membre.role = Membre.Role.ADMINISTRATEUR
        elif role in Membre.Role.values:
            membre.role = role
        membre.motif_refus = ""
    else:
        membre.statut = Membre.Statut.REFUSE
        membre.motif_refus = motif.strip()
    membre.full_clean()
    membre.save()
    notification_creer(
        gabarit="rattachement_decision",
        destinataire=membre.utilisateur,
        contexte={"membre": membre, "entreprise": membre.entreprise, "lien": reverse("espace:accueil")},
    )
    return membre


# --- Invitations -----------------------------------------------------------------------------------


def _empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


@transaction.atomic
def invitation_creer(
    *, entreprise_id: int, par: User, email: str, role: str = Membre.Role.MEMBRE
) -> tuple[Invitation, str]:
    """Invite someone by email (a link valid seven days, used once). Returns the invitation and its
    token (only its hash is stored)."""
    _administrateur_verifie(par, entreprise_id)
    email = User.objects.normalize_email(email).strip().lower()
    if role not in Membre.Role.values:
        raise ValidationError({"role": "Choisissez un rôle : administrateur, membre ou lecteur."})
    if Membre.objects.verifies().filter(entreprise_id=entreprise_id, utilisateur__email__iexact=email).exists():
        raise ValidationError({"email": "Cette personne est déjà membre vérifié du compte."})
    jeton = secrets.token_urlsafe(32)
    invitation = Invitation(
        entreprise_id=entreprise_id,
        email=email,
        role=role,
        invite_par=par,
        jeton_sha256=_empreinte(jeton),
        expire_le=timezone.now() + VALIDITE_INVITATION,
    )
    invitation.full_clean()
    invitation.save()
    notification_creer(
        gabarit="invitation_compte",
        destinataire=email,
        contexte={
            "invitation": invitation,
            "entreprise": invitation.entreprise,
            "invite_par": par,
            "lien": reverse("espace:invitation", args=[jeton]),
        },
    )
    return invitation, jeton


def invitation_lire(jeton: str) -> Invitation:
    """The invitation of this link if it can still be used, else a French ValidationError."""
    invitation = Invitation.objects.select_related("entreprise").filter(jeton_sha256=_empreinte(jeton or "")).first()
    if invitation is None:
        raise ValidationError("Ce lien d'invitation n'est pas valide. Copiez-le en entier depuis le message.")
    if invitation.utilisee_le is not None:
        raise ValidationError("Cette invitation a déjà été utilisée. Connectez-vous pour accéder à votre espace.")
    if invitation.annulee_le is not None:
        raise ValidationError("Cette invitation a été annulée par l'administrateur du compte.")
    if invitation.expire_le <= timezone.now():
        raise ValidationError(
            "Cette invitation a expiré (elle est valable sept jours). Demandez-en une nouvelle à l'administrateur "
            "du compte de l'entreprise."
        )
    return invitation


@transaction.atomic
def invitation_accepter(
    *, jeton: str, utilisateur: User | None = None, prenom: str = "", nom: str = "", mot_de_passe: str = ""
) -> Membre:
    """Accept an invitation: the logged-in person whose address was invited, or a new account
    created through the link (which proves the address). The attachment is verified at once."""
    invitation = invitation_lire(jeton)
    invitation = Invitation.objects.select_for_update().select_related("entreprise").get(pk=invitation.pk)
    invitation_lire(jeton)  # re-read under the lock: single use
    maintenant = timezone.now()
    if utilisateur is not None:
        if utilisateur.email.lower() != invitation.email.lower():
            raise PermissionDenied(
                f"Cette invitation est adressée à {invitation.email} : connectez-vous avec cette adresse."
            )
        if utilisateur.is_staff:
            raise PermissionDenied("Un compte agent ne peut pas être membre d'un compte entreprise.")
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                "Un compte existe déjà pour cette adresse : connectez-vous pour accepter l'invitation."
            )

        _verifier_sans_balise(prenom=prenom, nom=nom)
        utilisateur = User(email=invitation.email, first_name=prenom, last_name=nom)
        try:
            validate_password(mot_de_passe, utilisateur)
        except ValidationError as erreur:
            raise ValidationError({"mot_de_passe": erreur.messages}) from None
        utilisateur.set_password(mot_de_passe)
        utilisateur.full_clean()
        utilisateur.save()
        utilisateur.groups.add(Group.objects.get_or_create(name=Role.ENTREPRISE.value)[0])
    membre = Membre.objects.filter(utilisateur=utilisateur, entreprise=invitation.entreprise).first() or Membre(
        utilisateur=utilisateur,
        entreprise=invitation.entreprise,
        etablissement=_etablissement_principal(invitation.entreprise),
    )
    membre.statut = Membre.Statut.VERIFIE
    membre.role = invitation.role
    membre.voie = Membre.Voie.INVITATION
    membre.verifie_par = invitation.invite_par
    membre.verifie_le = maintenant
    membre.motif_refus = ""
    membre.email_verifie_le = membre.email_verifie_le or maintenant
    membre.full_clean()
    membre.save()
    Membre.objects.filter(utilisateur=utilisateur, email_verifie_le=None).update(email_verifie_le=maintenant)
    invitation.utilisee_le = maintenant
    invitation.utilisee_par = utilisateur
    invitation.save(update_fields=["utilisee_le", "utilisee_par"])
    return membre


@transaction.atomic
def invitation_annuler(*, invitation_id: int, par: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    _administrateur_verifie(par, invitation.entreprise_id)
    if invitation.utilisee_le is None and invitation.annulee_le is None:
        invitation.annulee_le = timezone.now()
        invitation.save(update_fields=["annulee_le"])
    return invitation


# --- Members: roles, removal, signing capacity -------------------------------------------------------


def _garder_un_administrateur(membre: Membre) -> None:
    autres = Membre.objects.administrateurs().filter(entreprise_id=membre.entreprise_id).exclude(pk=membre.pk).exists()
    if membre.est_administrateur and not autres:
        raise ValidationError("C'est le seul administrateur du compte : nommez d'abord un autre administrateur.")


@transaction.atomic
def membre_role_changer(*, membre_id: int, par: User, role: str) -> Membre:
    membre = Membre.objects.select_for_update().get(pk=membre_id)
    _administrateur_verifie(par, membre.entreprise_id)
    if role not in Membre.Role.values:
        raise ValidationError({"role": "Choisissez un rôle : administrateur, membre ou lecteur."})
    if not membre.est_verifie:
        raise ValidationError("Vérifiez d'abord le rattachement de cette personne.")
    if role != Membre.Role.ADMINISTRATEUR:
        _garder_un_administrateur(membre)
    membre.role = role
    membre.full_clean()
    membre.save(update_fields=["role"])
    return membre


@transaction.atomic
def membre_retirer(*, membre_id: int, par: User) -> Membre:
    membre = Membre.objects.select_for_update().get(pk=membre_id)
    _administrateur_verifie(par, membre.entreprise_id)
    _garder_un_administrateur(membre)
    membre.statut = Membre.Statut.RETIRE
    membre.capacite = Membre.Capacite.AUCUNE
    membre.full_clean()
    membre.save(update_fields=["statut", "capacite"])
    return membre


@transaction.atomic
def capacite_definir(
    *,
    membre_id: int,
    par: User,
    capacite: str,
    delegation_de: str = "",
    debut: date | None = None,
    fin: date | None = None,
    document: FichierVerifie | None = None,
) -> Membre:
    """Record who may sign for the company: the legal representative, or a delegate (with the
    delegation's document, its dates and who granted it)."""
    membre = Membre.objects.select_for_update().get(pk=membre_id)
    _administrateur_verifie(par, membre.entreprise_id)
    if not membre.est_verifie:
        raise ValidationError("Seul un membre vérifié peut recevoir une capacité de signature.")
    if capacite not in Membre.Capacite.values:
        raise ValidationError({"capacite": "Choisissez une capacité de signature."})
    erreurs = {}
    if capacite == Membre.Capacite.DELEGATAIRE:
        if not delegation_de.strip():
            erreurs["delegation_de"] = "Indiquez qui donne la délégation (nom et qualité)."
        if debut is None:
            erreurs["delegation_debut"] = "Indiquez la date de début de la délégation."
        if fin is None:
            erreurs["delegation_fin"] = "Indiquez la date de fin de la délégation."
        elif debut is not None and fin < debut:
            erreurs["delegation_fin"] = "La délégation ne peut pas finir avant de commencer."
        if document is None and not membre.delegation_document:
            erreurs["document"] = "Joignez l'acte de délégation signé."
    if erreurs:
        raise ValidationError(erreurs)
    membre.capacite = capacite
    membre.capacite_donnee_par = par
    membre.capacite_le = timezone.now()
    if capacite == Membre.Capacite.DELEGATAIRE:
        membre.delegation_de = delegation_de.strip()
        membre.delegation_debut, membre.delegation_fin = debut, fin
    else:
        membre.delegation_de, membre.delegation_debut, membre.delegation_fin = "", None, None
    remplace = None
    if document is not None and capacite == Membre.Capacite.DELEGATAIRE:
        remplace = membre.delegation_document_id
        membre.delegation_document = document_deposer(document, genre=GENRE_DELEGATION, par=par)
    membre.full_clean()
    membre.save()
    documents_liberer([remplace])  # the previous act of delegation, replaced
    return membre
