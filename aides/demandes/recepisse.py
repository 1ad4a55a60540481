"""The deposit receipt: a PDF rendered by WeasyPrint in a Celery task, stored with its SHA-256."""

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from aides.demandes.models.demande import Demande


def recepisse_html(demande: Demande) -> str:
    return render_to_string(
        "aides/espace/recepisse_pdf.html",
        {
            "demande": demande,
            "depose_le": timezone.localtime(demande.depose_le),
            "lignes": demande.lignes.all(),
            # Received with the deposit (not the later answers to complement requests).
            "pieces": demande.pieces.filter(message__isnull=True).order_by("cree_le", "pk"),
        },
    )


def recepisse_generer(*, demande_id: int) -> bool:
    """Render and store the receipt once; True when this call stored it."""
    from weasyprint import HTML  # heavy import: only in the worker that renders

    demande = (
        Demande.objects.select_related("dispositif__direction", "etablissement__entreprise", "demandeur")
        .filter(pk=demande_id, numero_depot__isnull=False)
        .first()
    )
    if demande is None or demande.recepisse:
        return False
    contenu = HTML(string=recepisse_html(demande)).write_pdf()
    with transaction.atomic():
        demande = Demande.objects.select_for_update().get(pk=demande_id)
        if demande.recepisse:
            return False  # another worker stored it meanwhile
        demande.recepisse.save(f"recepisse-{demande.numero_depot}.pdf", ContentFile(contenu), save=False)
        demande.recepisse_sha256 = hashlib.sha256(contenu).hexdigest()
        demande.save(update_fields=["recepisse", "recepisse_sha256"])
    return True


def recepisses_manquants():
    """Deposited applications without a receipt, deposited more than a minute ago (the task enqueued
    after commit normally handles them)."""
    limite = timezone.now() - timedelta(minutes=1)
    return Demande.objects.filter(numero_depot__isnull=False, recepisse="", depose_le__lte=limite).order_by("depose_le")


def recepisses_relancer(*, lot: int = 200) -> int:
    """Enqueue the missing receipts again; return how many were enqueued (stops if the broker is down)."""
    from aides.demandes.tasks import recepisse_generer_task
    from portal.taches import envoyer_a_celery

    relances = 0
    for demande_id in recepisses_manquants().values_list("pk", flat=True)[:lot]:
        if not envoyer_a_celery(recepisse_generer_task, demande_id, file="documents"):
            break
        relances += 1
    return relances
