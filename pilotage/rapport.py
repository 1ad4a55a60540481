"""The yearly steering committee's report: a portal.Document rendered by Celery (WeasyPrint), polled
by its page (portal.documents: the request, the state machine, the job, the poller)."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from portal.documents import document_demander
from portal.models import Document

from .models import RapportPilotage
from .selectors import carte_montants, satisfaction_agregats, tableau_croise_lignes
from .statistiques import chiffres_annee, delais, montants_par_annee

GENRE_RAPPORT = "pilotage.rapport"


@transaction.atomic
def rapport_demander(*, annee: int, par) -> RapportPilotage:
    """Ask for the report of `annee`; a second click while it is being prepared gets the same one."""
    document, cree = document_demander(genre=GENRE_RAPPORT, cle=str(annee), par=par)
    if not cree:
        return document.rapport_pilotage
    rapport = RapportPilotage(annee=annee, document=document)
    rapport.full_clean()
    rapport.save()
    return rapport


def contexte_rapport(annee: int) -> dict:
    """Every figure of the report, computed in SQL (a fixed number of queries)."""

    criteres = {"annee": annee, "direction_id": None, "departement": None, "epci_id": None, "thematique": None}
    tableaux = {}
    for dimension in ("direction", "departement", "thematique"):
        tableaux[dimension] = tableau_croise_lignes({**criteres, "lignes": dimension})
    return {
        "annee": annee,
        "chiffres": chiffres_annee(annee=annee),
        "chiffres_avant": chiffres_annee(annee=annee - 1),
        "par_direction": tableaux["direction"],
        "par_departement": tableaux["departement"],
        "par_thematique": tableaux["thematique"],
        "delais": delais(annee=annee),
        "montants": montants_par_annee(),
        "carte": carte_montants(annee),
        "satisfaction": satisfaction_agregats(annee=annee),
    }


def rapport_html(annee: int, *, le=None) -> str:
    return render_to_string(
        "pilotage/rapport_pdf.html", {**contexte_rapport(annee), "le": timezone.localtime(le or timezone.now())}
    )


def rapport_pdf(document: Document) -> bytes:
    """The generator of GENRE_RAPPORT (registered in PilotageConfig.ready)."""
    from weasyprint import HTML  # heavy import: only in the worker that renders

    return HTML(string=rapport_html(document.rapport_pilotage.annee, le=document.cree_le)).write_pdf()
