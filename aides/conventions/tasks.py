"""Celery tasks of aid conventions and payments. Task names keep their first module path
(« aides.tasks.… »): the beat schedule rows and messages already queued name them so."""

from celery import shared_task
from django.conf import settings

from aides.conventions.services.convention import (
    conventions_caduques_marquer,
    digest_bloquees_envoyer,
    version_demander,
)
from aides.conventions.services.paiement import rappels_remboursement_envoyer
from portal.models import User


@shared_task(name="aides.tasks.convention_pdf_generer", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def convention_pdf_generer_task(convention_id: int, par_id: int | None = None) -> int | None:
    """Kept for the messages queued before a version became a portal.Document: asks for the version
    (its Travail renders it, once); returns its number."""
    version = version_demander(convention_id=convention_id, par=User.objects.filter(pk=par_id).first())
    return version.numero if version else None


@shared_task(name="aides.tasks.conventions_bloquees_digest")
def conventions_bloquees_digest_task() -> int:
    """Daily: each SAF manager receives the list of conventions stalled in a step."""
    return digest_bloquees_envoyer(jours=settings.SAF_JOURS_BLOCAGE)


@shared_task(name="aides.tasks.conventions_caduques_marquer")
def conventions_caduques_marquer_task() -> int:
    """Daily: conventions past their lapse date without signature (or payment request) lapse."""
    return conventions_caduques_marquer()


@shared_task(name="aides.tasks.rappels_remboursements")
def rappels_remboursements_task() -> int:
    """Daily: reminders before and after the due dates of repayments (each at most once)."""
    return rappels_remboursement_envoyer()
