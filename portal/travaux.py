"""Background jobs requested by a database row (like the email outbox), never lost, done once.

    travail_demander("aides.conventions.pdf.convention_pdf_generer", convention_id=42, par_id=7)

writes a `Travail` row in the caller's transaction; after commit it is published to Celery without
waiting on the broker (`portal.taches.envoyer_a_celery`: short timeouts, errors swallowed). The task
`portal.tasks.travail_executer` claims the row with a conditional update, so a message delivered
twice (broker redelivery, sweep) does the work once. The sweep (`travaux_relancer`, every minute)
publishes again the rows still waiting and the rows whose worker died mid-job (claimed longer ago
than the queue's hard time limit).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Travail
from .taches import envoyer_a_celery

logger = logging.getLogger(__name__)

TENTATIVES_MAX = 5
# A row younger than this is left to the publish that follows its commit.
AGE_MINIMUM_RELANCE = timedelta(minutes=1)
LOT_RELANCE = 500


def delai_reprise(file: str) -> timedelta:
    """A job claimed longer ago than its queue's hard time limit (plus a margin) lost its worker."""
    limites = settings.CELERY_LIMITES_PAR_FILE.get(file, settings.CELERY_LIMITES_PAR_FILE["documents"])
    return timedelta(seconds=settings.TRAVAUX_REPRISE_SECONDES or limites[1] + 60)


def travail_demander(fonction: str, *, file: str = "documents", **arguments) -> Travail:
    """Record a job (`fonction`: dotted path of a function taking keyword arguments, JSON values) in
    the current transaction; it is published to Celery once the transaction commits."""
    travail = Travail(tache=fonction, arguments=arguments, file=file)
    travail.full_clean()
    travail.save()
    transaction.on_commit(lambda: travail_publier(travail))
    return travail


def travail_publier(travail: Travail) -> bool:
    from .tasks import travail_executer_task  # here: at the top it would close an import cycle

    return envoyer_a_celery(travail_executer_task, travail.pk, file=travail.file)


def travail_executer(*, travail_id: int) -> bool:
    """Claim the job and run it here; True when this call did it.

    The claim takes a waiting row, or a row claimed by a worker that has been gone for longer than
    the hard time limit: never a row another worker is running.
    """
    travail = Travail.objects.filter(pk=travail_id).first()
    if travail is None:
        return False
    maintenant = timezone.now()
    pris = (
        Travail.objects.filter(pk=travail_id)
        .filter(
            Q(statut=Travail.Statut.EN_ATTENTE)
            | Q(statut=Travail.Statut.EN_COURS, prise_le__lt=maintenant - delai_reprise(travail.file))
        )
        .update(statut=Travail.Statut.EN_COURS, prise_le=maintenant, tentatives=F("tentatives") + 1)
    )
    if not pris:
        return False  # done, running elsewhere, or gone
    travail.refresh_from_db()
    try:
        import_string(travail.tache)(**travail.arguments)
    except Exception as erreur:  # any failure: the sweep retries, up to TENTATIVES_MAX
        logger.exception("Travail %s (%s) en échec", travail.pk, travail.tache)
        Travail.objects.filter(pk=travail_id, prise_le=maintenant).update(
            statut=Travail.Statut.ECHEC if travail.tentatives >= TENTATIVES_MAX else Travail.Statut.EN_ATTENTE,
            derniere_erreur=f"{type(erreur).__name__} : {erreur}"[:2000],
            fini_le=timezone.now(),
        )
        return False
    Travail.objects.filter(pk=travail_id, prise_le=maintenant).update(
        statut=Travail.Statut.FAIT, fini_le=timezone.now(), derniere_erreur=""
    )
    return True


def travaux_en_retard(maintenant: datetime | None = None):
    maintenant = maintenant or timezone.now()
    condition = Q(statut=Travail.Statut.EN_ATTENTE, cree_le__lte=maintenant - AGE_MINIMUM_RELANCE)
    for file in settings.CELERY_LIMITES_PAR_FILE:
        condition |= Q(statut=Travail.Statut.EN_COURS, file=file, prise_le__lt=maintenant - delai_reprise(file))
    return Travail.objects.filter(condition)


def travaux_relancer(*, maintenant: datetime | None = None) -> int:
    """Publish again the late jobs, oldest first; return how many (stops while the broker is down)."""
    relances = 0
    for travail in travaux_en_retard(maintenant).order_by("cree_le")[:LOT_RELANCE]:
        if not travail_publier(travail):
            break
        relances += 1
    return relances


def travaux_en_retard_resume(maintenant: datetime | None = None) -> dict:
    """For /sante/pret/: how many jobs wait, how many are late, since when."""
    maintenant = maintenant or timezone.now()
    a_faire = Travail.objects.filter(statut__in=[Travail.Statut.EN_ATTENTE, Travail.Statut.EN_COURS]).aggregate(
        nombre=Count("pk"), plus_ancien=Min("cree_le")
    )
    return {
        "a_faire": a_faire["nombre"],
        "en_retard": travaux_en_retard(maintenant - timedelta(minutes=settings.SANTE_TRAVAUX_MINUTES)).count(),
        "echecs": Travail.objects.filter(statut=Travail.Statut.ECHEC).count(),
        "plus_ancien": a_faire["plus_ancien"].isoformat() if a_faire["plus_ancien"] else None,
    }
