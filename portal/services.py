from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import DemandeReinitialisation, Notification, Travail, User
from .periodes import battement_noter, periode_heure, periode_reclamer
from .roles import Role
from .sante import BATTEMENT_BALAYAGE
from .taches import envoyer_a_celery, planifier_apres_commit
from .tasks import notification_envoyer_task, reinitialisation_traiter_task
from .travaux import travaux_relancer

TENTATIVES_MAX = 5
DELAI_ENVOI_INTERROMPU = timedelta(minutes=15)
AGE_MINIMUM_RELANCE = timedelta(minutes=1)
LOT_RELANCE = 1000


@transaction.atomic
def notification_creer(
    *, gabarit: str, destinataire: str | User, contexte: dict | None = None, entetes: dict[str, str] | None = None
) -> Notification:
    """Write an email to the outbox; it is sent by a Celery task once the caller's transaction commits.

    `gabarit` names three templates: emails/<gabarit>_sujet.txt, _corps.txt and _corps.html.
    """
    utilisateur = destinataire if isinstance(destinataire, User) else None
    email = destinataire.email if utilisateur else destinataire
    contexte = {"site_url": settings.SITE_URL, "destinataire": utilisateur, **(contexte or {})}
    sujet = " ".join(render_to_string(f"emails/{gabarit}_sujet.txt", contexte, using="texte").split())
    notification = Notification(
        destinataire=email,
        utilisateur=utilisateur,
        gabarit=gabarit,
        sujet=sujet[:250],
        corps_texte=render_to_string(f"emails/{gabarit}_corps.txt", contexte, using="texte"),
        corps_html=render_to_string(f"emails/{gabarit}_corps.html", contexte),
        entetes=entetes or {},
    )
    notification.full_clean()
    notification.save()

    planifier_apres_commit(notification_envoyer_task, notification.pk, file="emails")
    return notification


def reinitialisations_recentes(user: User, *, depuis: timedelta = timedelta(hours=1)) -> int:
    """How many password-reset emails this user was sent recently (the outbox keeps them)."""
    return Notification.objects.filter(
        utilisateur=user, gabarit="mot_de_passe", cree_le__gte=timezone.now() - depuis
    ).count()


def notification_envoyer(*, notification_id: int) -> bool:
    """Send one notification, at most once: the row is claimed with a conditional update.

    Returns True when this call sent it. A failed send puts the row back in the queue for the
    sweep, up to TENTATIVES_MAX attempts.
    """
    claimed = Notification.objects.filter(pk=notification_id, statut=Notification.Statut.EN_ATTENTE).update(
        statut=Notification.Statut.EN_COURS, prise_le=timezone.now()
    )
    if not claimed:
        return False  # already sent, being sent by another worker, or gone
    notification = Notification.objects.get(pk=notification_id)
    message = EmailMultiAlternatives(
        subject=notification.sujet,
        body=notification.corps_texte,
        to=[notification.destinataire],
        headers=notification.entetes or None,
    )
    message.attach_alternative(notification.corps_html, "text/html")
    try:
        message.send()
    except Exception as erreur:  # SMTP and network errors: try again later
        tentatives = notification.tentatives + 1
        Notification.objects.filter(pk=notification_id).update(
            statut=Notification.Statut.ECHEC if tentatives >= TENTATIVES_MAX else Notification.Statut.EN_ATTENTE,
            tentatives=tentatives,
            derniere_erreur=str(erreur)[:2000],
        )
        return False
    Notification.objects.filter(pk=notification_id).update(
        statut=Notification.Statut.ENVOYEE, envoyee_le=timezone.now(), tentatives=notification.tentatives + 1
    )
    return True


def notifications_relancer(*, age_minimum: timedelta = AGE_MINIMUM_RELANCE) -> int:
    """Enqueue again the notifications still pending (broker down at commit, task lost...), oldest
    first; return how many were enqueued.

    Rows younger than `age_minimum` are left to the enqueue that follows their commit. A row being
    sent (`en_cours`) is never enqueued again: better a lost email than a duplicate one.
    """

    # A row claimed long ago and never finished: its worker died during the send. It may or may
    # not have left; say so in the outbox (admin) rather than send it twice.
    Notification.objects.filter(
        statut=Notification.Statut.EN_COURS, prise_le__lte=timezone.now() - DELAI_ENVOI_INTERROMPU
    ).update(
        statut=Notification.Statut.ECHEC,
        derniere_erreur="Envoi interrompu (worker arrêté pendant l'envoi) : vérifiez avant de le renvoyer.",
    )
    limite = timezone.now() - age_minimum
    ids = (
        Notification.objects.en_attente()
        .filter(cree_le__lte=limite)
        .order_by("cree_le")
        .values_list("pk", flat=True)[:LOT_RELANCE]
    )
    relancees = 0
    for notification_id in ids:
        if not envoyer_a_celery(notification_envoyer_task, notification_id, file="emails"):
            break  # broker still down: the next sweep tries again
        relancees += 1
    return relancees


# --- Password reset: the same work whether the address has an account or not -----------------------


@transaction.atomic
def reinitialisation_demander(*, email: str) -> None:
    """Record the request and hand it to Celery: the web request never looks the address up."""

    demande = DemandeReinitialisation.objects.create(email=email.strip()[:254])
    planifier_apres_commit(reinitialisation_traiter_task, demande.pk)


@transaction.atomic
def reinitialisation_traiter(*, demande_id: int) -> int:
    """Claim the request (by deleting it: run twice, it works once) and write the reset email of
    each active account with that address, at most REINITIALISATIONS_PAR_HEURE an hour; return the
    number of emails written."""

    from .forms import REINITIALISATIONS_PAR_HEURE  # here: at the top it would close an import cycle

    demande = DemandeReinitialisation.objects.select_for_update(skip_locked=True).filter(pk=demande_id).first()
    if demande is None:
        return 0
    demande.delete()
    ecrits = 0
    for user in User.objects.filter(email__iexact=demande.email, is_active=True):
        if not user.has_usable_password() or reinitialisations_recentes(user) >= REINITIALISATIONS_PAR_HEURE:
            continue
        notification_creer(
            gabarit="mot_de_passe",
            destinataire=user,
            contexte={
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        ecrits += 1
    return ecrits


def reinitialisations_relancer(*, age_minimum: timedelta = AGE_MINIMUM_RELANCE) -> int:
    """Process the requests whose task was lost (broker down at commit); run by the periodic sweep."""

    ids = DemandeReinitialisation.objects.filter(cree_le__lte=timezone.now() - age_minimum).values_list(
        "pk", flat=True
    )[:LOT_RELANCE]
    ids = list(ids)
    for demande_id in ids:
        reinitialisation_traiter(demande_id=demande_id)
    return len(ids)


# What the apps add to the sweep (name → function returning how many it relaunched), registered in
# their AppConfig.ready(): portal never imports them.
def travaux_balayer() -> dict:
    """The one sweep (every minute, `manage.py relancer_travaux` by hand): emails still in the outbox and
    late background jobs (documents to render among them); notes its passage for /sante/pret/."""

    battement_noter(BATTEMENT_BALAYAGE)
    return {
        "courriels": notifications_relancer(),
        "travaux": travaux_relancer(),
    }


def echecs_alerter(*, maintenant=None) -> int:
    """Hourly: one digest to the administrators of the emails and jobs newly « en échec »; returns how
    many digests were written (0 when nothing new failed or this hour was already claimed)."""

    nouvelles = list(Notification.objects.filter(statut=Notification.Statut.ECHEC, echec_signale=False)[:200])
    recents = timezone.now() - timedelta(hours=1)
    travaux = list(Travail.objects.filter(statut=Travail.Statut.ECHEC, fini_le__gte=recents))
    if not nouvelles and not travaux:
        return 0
    destinataires = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATEUR.value))
        .distinct()
    )
    with transaction.atomic():
        if not periode_reclamer("alerte-echecs", periode_heure(maintenant)):
            return 0
        for destinataire in destinataires:
            notification_creer(
                gabarit="echecs_envoi",
                destinataire=destinataire,
                contexte={
                    "notifications": nouvelles,
                    "travaux": travaux,
                    "lien": reverse("admin:portal_notification_changelist") + "?statut__exact=echec",
                },
            )
        Notification.objects.filter(pk__in=[n.pk for n in nouvelles]).update(echec_signale=True)
    return len(destinataires)
