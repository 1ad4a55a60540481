from celery import shared_task

from . import recepisse


@shared_task(name="aides.tasks.recepisse_generer", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def recepisse_generer_task(demande_id: int) -> bool:
    return recepisse.recepisse_generer(demande_id=demande_id)


@shared_task(name="aides.tasks.recepisses_relancer")
def recepisses_relancer_task() -> int:
    """Periodic sweep: receipts whose task was lost (broker down at deposit, worker crash)."""
    return recepisse.recepisses_relancer()


@shared_task(name="aides.tasks.convention_pdf_generer", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def convention_pdf_generer_task(convention_id: int, par_id: int | None = None) -> int | None:
    """Render the convention and store it as a new version; returns the version number."""
    from .pdf_convention import convention_pdf_generer

    version = convention_pdf_generer(convention_id=convention_id, par_id=par_id)
    return version.numero if version else None


@shared_task(name="aides.tasks.conventions_bloquees_digest")
def conventions_bloquees_digest_task() -> int:
    """Daily: each SAF manager receives the list of conventions stalled in a step."""
    from django.conf import settings

    from .services_convention import digest_bloquees_envoyer

    return digest_bloquees_envoyer(jours=settings.SAF_JOURS_BLOCAGE)


@shared_task(name="aides.tasks.fichiers_en_attente_purger")
def fichiers_en_attente_purger_task() -> int:
    from .documents import fichiers_en_attente_purger

    return fichiers_en_attente_purger()


@shared_task(name="aides.tasks.conventions_caduques_marquer")
def conventions_caduques_marquer_task() -> int:
    """Daily: conventions past their lapse date without signature (or payment request) lapse."""
    from .services_convention import conventions_caduques_marquer

    return conventions_caduques_marquer()


@shared_task(name="aides.tasks.alertes_envoyer")
def alertes_envoyer_task() -> int:
    """Daily: the digests of the catalogue alerts (each claimed once per day or week)."""
    from .alertes import alertes_envoyer

    return alertes_envoyer()


@shared_task(name="aides.tasks.alertes_purger")
def alertes_purger_task() -> dict:
    """Daily: unconfirmed alerts deleted after 7 days; dormant ones asked to confirm, then deleted."""
    from .alertes import alertes_purger

    return alertes_purger()


@shared_task(name="aides.tasks.complements_rappeler")
def complements_rappeler_task() -> int:
    from .services_demande import complements_rappeler

    return complements_rappeler()


@shared_task(name="aides.tasks.rappels_remboursements")
def rappels_remboursements_task() -> int:
    """Daily: reminders before and after the due dates of repayments (each at most once)."""
    from .services_paiement import rappels_remboursement_envoyer

    return rappels_remboursement_envoyer()
