"""The deposit receipt: a portal.Document rendered by WeasyPrint in the background (portal.documents:
the request at deposit, the state machine, the job and its sweep, the one poller)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from aides.demandes.acces import demandes_visibles, membre_courant
from aides.demandes.models.demande import Demande
from portal.models import Document

GENRE_RECEPISSE = "aides.recepisse"


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


def recepisse_pdf(document: Document) -> bytes:
    """The generator of GENRE_RECEPISSE (registered in AidesConfig.ready)."""
    from weasyprint import HTML  # heavy import: only in the worker that renders

    demande = Demande.objects.select_related("dispositif__direction", "etablissement__entreprise", "demandeur").get(
        recepisse=document
    )
    return HTML(string=recepisse_html(demande)).write_pdf()


def recepisse_lisible(request, document: Document) -> bool:
    """The status endpoint's rule: the members who see the application (as its page does)."""
    if not request.user.is_authenticated or request.user.is_staff:
        return False
    membre = membre_courant(request)
    return membre is not None and demandes_visibles(membre).filter(recepisse=document).exists()


def recepisse_url(document: Document) -> str:
    return reverse("espace:recepisse", args=[document.demande_recepisse.pk])
