"""Writes for partners and EPCI: invitations, referrals to a partner and their answers, reminders,
prescriptions, registrations. Each checks its rules in a transaction; emails go to the outbox."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from crm import services as crm_services
from crm.jours_ouvres import est_ouvre, retirer_jours_ouvres
from crm.models import Sollicitation, Structure
from portal.models import Direction, User
from portal.periodes import periode_reclamer
from portal.roles import Role
from portal.services import notification_creer
from territoires.models import EPCI, Commune

from .actions import MACHINE_ORIENTATION, REPONSES
from .models import Adhesion, Inscription, Invitation, Orientation, Prescription, Ressource

DUREE_INVITATION = timedelta(days=7)
SEL_INVITATION = "partenaires.invitation"
DELAI_RELANCE_JOURS_OUVRES = 2


# --- Invitations ------------------------------------------------------------------------------


def lien_invitation(invitation: Invitation) -> str:
    """The signed token of the invitation's link (its uuid, signed with a timestamp)."""
    return signing.TimestampSigner(salt=SEL_INVITATION).sign(str(invitation.jeton))


@transaction.atomic
def invitation_creer(
    *, email: str, par: User, structure: Structure | None = None, epci: EPCI | None = None
) -> Invitation:
    """A Région agent invites a person to a partner structure or an EPCI; the link is emailed."""
    if not par.est_agent:
        raise ValidationError("Seul un agent de la Région invite un partenaire.")
    if (structure is None) == (epci is None):
        raise ValidationError("Choisissez soit une structure partenaire, soit un EPCI.")
    email = email.strip().lower()
    existant = User.objects.filter(email__iexact=email).first()
    if existant is not None and (existant.is_staff or Adhesion.objects.filter(utilisateur=existant).exists()):
        raise ValidationError({"email": "Ce courriel appartient déjà à un agent ou au membre d'une structure."})
    if existant is not None:
        raise ValidationError({"email": "Un compte existe déjà pour ce courriel : invitez une autre adresse."})
    invitation = Invitation(
        email=email, structure=structure, epci=epci, invite_par=par, expire_le=timezone.now() + DUREE_INVITATION
    )
    invitation.full_clean()
    invitation.save()
    notification_creer(
        gabarit="partenaires_invitation",
        destinataire=email,
        contexte={"invitation": invitation, "jeton": lien_invitation(invitation), "par": par},
    )
    return invitation


def invitation_lire(jeton_signe: str) -> Invitation:
    """The invitation behind a link; a French ValidationError when forged, expired or used."""
    try:
        jeton = signing.TimestampSigner(salt=SEL_INVITATION).unsign(
            jeton_signe, max_age=DUREE_INVITATION.total_seconds()
        )
    except signing.SignatureExpired:
        raise ValidationError("Ce lien d'invitation a expiré : demandez une nouvelle invitation.") from None
    except signing.BadSignature:
        raise ValidationError("Ce lien d'invitation n'est pas valide.") from None
    invitation = Invitation.objects.select_related("structure", "epci").filter(jeton=jeton).first()
    if invitation is None:
        raise ValidationError("Ce lien d'invitation n'est pas valide.")
    if invitation.utilisee_le is not None:
        raise ValidationError("Ce lien d'invitation a déjà servi : connectez-vous avec votre compte.")
    if invitation.expire_le < timezone.now():
        raise ValidationError("Ce lien d'invitation a expiré : demandez une nouvelle invitation.")
    return invitation


@transaction.atomic
def invitation_accepter(*, jeton: str, prenom: str, nom: str, mot_de_passe: str, fonction: str = "") -> User:
    """Create the invited person's account (role partenaire or epci) and membership; link used once."""
    invitation = invitation_lire(jeton)
    if not Invitation.objects.filter(pk=invitation.pk, utilisee_le=None).update(utilisee_le=timezone.now()):
        raise ValidationError("Ce lien d'invitation a déjà servi : connectez-vous avec votre compte.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("Un compte existe déjà pour ce courriel.")
    user = User(email=invitation.email, first_name=prenom.strip(), last_name=nom.strip(), fonction=fonction.strip())
    user.set_password(mot_de_passe)
    user.full_clean()
    user.save()
    role = Role.PARTENAIRE if invitation.structure_id else Role.EPCI
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    adhesion = Adhesion(utilisateur=user, structure=invitation.structure, epci=invitation.epci)
    adhesion.full_clean()
    adhesion.save()
    return user


# --- Referrals to a partner -------------------------------------------------------------------


def membres_structure(structure_id: int) -> list[User]:
    return list(
        User.objects.filter(partenariat__structure_id=structure_id, is_active=True).order_by("last_name", "first_name")
    )


def _notifier_membres(orientation: Orientation, gabarit: str) -> int:
    membres = membres_structure(orientation.structure_id)
    destinataires: list = membres or ([orientation.structure.email] if orientation.structure.email else [])
    for destinataire in destinataires:
        notification_creer(gabarit=gabarit, destinataire=destinataire, contexte={"orientation": orientation})
    return len(destinataires)


@transaction.atomic
def orientation_creer(*, sollicitation: Sollicitation, structure: Structure, par: User, motif: str = "") -> Orientation:
    """A Région agent re-orients a request to a partner: the request is marked re-oriented and the
    structure's members are emailed (its shared address when it has no member yet)."""
    if not structure.active:
        raise ValidationError({"structure": "Cette structure partenaire n'est plus active."})
    crm_services.sollicitation_reorienter(sollicitation=sollicitation, par=par, structure=structure, motif=motif)
    orientation = Orientation(sollicitation=sollicitation, structure=structure, motif=motif, cree_par=par)
    orientation.full_clean()
    orientation.save()
    _notifier_membres(orientation, "partenaires_orientation_nouvelle")
    return orientation


def sollicitation_reorienter(
    *,
    sollicitation: Sollicitation,
    par: User,
    direction: Direction | None = None,
    structure: Structure | None = None,
    motif: str = "",
):
    """The agents' « Réorienter » action: to a partner it becomes a referral with an answer expected."""
    if structure is not None and direction is None:
        return orientation_creer(sollicitation=sollicitation, structure=structure, par=par, motif=motif)
    return crm_services.sollicitation_reorienter(
        sollicitation=sollicitation, par=par, direction=direction, structure=structure, motif=motif
    )


def _verifier_membre(orientation: Orientation, par: User) -> None:
    if not Adhesion.objects.filter(utilisateur=par, structure_id=orientation.structure_id).exists():
        raise ValidationError("Seul un membre de la structure répond à cette demande.")


@transaction.atomic
def orientation_prendre(*, orientation: Orientation, par: User) -> Orientation:
    orientation = Orientation.objects.select_for_update().get(pk=orientation.pk)
    _verifier_membre(orientation, par)
    if orientation.statut not in MACHINE_ORIENTATION.actions["prendre"]:
        raise ValidationError("Cette demande a déjà été prise en charge.")
    orientation.statut = Orientation.Statut.PRISE_EN_CHARGE
    orientation.prise_le = timezone.now()
    orientation.prise_par = par
    orientation.full_clean()
    orientation.save(update_fields=["statut", "prise_le", "prise_par"])
    return orientation


@transaction.atomic
def orientation_repondre(*, orientation: Orientation, par: User, statut: str, note: str) -> Orientation:
    """The partner's answer: traitée or « pas pour nous », with a note (shown on the company's timeline)."""
    orientation = (
        Orientation.objects.select_for_update().select_related("sollicitation", "cree_par").get(pk=orientation.pk)
    )
    _verifier_membre(orientation, par)
    if statut not in REPONSES:
        raise ValidationError({"statut": "Choisissez « Traitée » ou « Pas pour nous »."})
    if orientation.statut not in MACHINE_ORIENTATION.actions["repondre"]:
        raise ValidationError(f"Cette demande a déjà reçu une réponse : « {orientation.get_statut_display()} ».")
    if not note.strip():
        raise ValidationError({"note": "Ajoutez une note pour la Région."})
    maintenant = timezone.now()
    if orientation.prise_le is None:
        orientation.prise_le, orientation.prise_par = maintenant, par
    orientation.statut = statut
    orientation.note = note.strip()
    orientation.repondue_le, orientation.repondue_par = maintenant, par
    orientation.full_clean()
    orientation.save()
    notification_creer(
        gabarit="partenaires_orientation_reponse",
        destinataire=orientation.cree_par,
        contexte={"orientation": orientation},
    )
    return orientation


def orientations_relancer(*, maintenant=None) -> int:
    """Remind a structure's members of referrals nobody took after 2 working days, once per working
    day (each reminder claimed per period, so two workers never send it twice)."""
    maintenant = maintenant or timezone.now()
    local = timezone.localtime(maintenant)
    if not est_ouvre(local.date()):
        return 0
    seuil = retirer_jours_ouvres(local, DELAI_RELANCE_JOURS_OUVRES)
    envoyees = 0
    for pk in list(Orientation.objects.en_attente().filter(cree_le__lte=seuil).values_list("pk", flat=True)):
        with transaction.atomic():
            if not periode_reclamer(f"orientation-relance:{pk}", local.date().isoformat()):
                continue
            orientation = Orientation.objects.select_related("sollicitation__commune", "structure").get(pk=pk)
            if orientation.statut != Orientation.Statut.TRANSMISE:
                continue
            Orientation.objects.filter(pk=pk).update(relance_le=maintenant)
            if _notifier_membres(orientation, "partenaires_orientation_relance"):
                envoyees += 1
    return envoyees


# --- Prescriptions ----------------------------------------------------------------------------


@transaction.atomic
def prescription_creer(
    *, par: User, commune: Commune, besoin: str, siret: str, nom: str, email: str, **champs
) -> Prescription:
    """A partner submits a request for a company it accompanies; routed like any request."""
    adhesion = Adhesion.objects.select_related("structure").filter(utilisateur=par, structure__isnull=False).first()
    if adhesion is None:
        raise ValidationError("Seul le membre d'une structure partenaire prescrit une demande.")
    siret = "".join((siret or "").split())
    if not (siret.isdigit() and len(siret) == 14):
        raise ValidationError({"siret": "Le SIRET compte 14 chiffres."})
    message = champs.pop("message", "")
    sollicitation = crm_services.sollicitation_creer(
        origine=Sollicitation.Origine.PARTENAIRE,
        commune=commune,
        besoin=besoin,
        par=par,
        nom=nom,
        email=email,
        entreprise_saisie=siret,
        message=f"Prescrite par {par} ({adhesion.structure}).\n\n{message}".strip(),
        consentement=True,
        **champs,
    )
    prescription = Prescription(sollicitation=sollicitation, structure=adhesion.structure, prescripteur=par)
    prescription.full_clean()
    prescription.save()
    return prescription


# --- EPCI: training sessions ------------------------------------------------------------------


@transaction.atomic
def inscription_creer(*, ressource: Ressource, par: User) -> Inscription:
    ressource = Ressource.objects.select_for_update().get(pk=ressource.pk)
    if ressource.session_le is None or ressource.session_le < timezone.now():
        raise ValidationError("Les inscriptions à cette session sont closes.")
    if Inscription.objects.filter(ressource=ressource, utilisateur=par).exists():
        raise ValidationError("Vous êtes déjà inscrit·e à cette session.")
    if ressource.inscriptions.count() >= ressource.places:
        raise ValidationError("Cette session est complète.")
    return Inscription.objects.create(ressource=ressource, utilisateur=par)
