"""The yearly steering committee's report: a PDF rendered by Celery (WeasyPrint), polled by its page.

Like the project reviews' documents: the request writes a row, the task claims it with a
conditional update (safe to run twice) and stores the file with its SHA-256.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from portal.taches import planifier_apres_commit

from .models import RapportPilotage


@transaction.atomic
def rapport_demander(*, annee: int, par) -> RapportPilotage:
    rapport = RapportPilotage(annee=annee, demande_par=par)
    rapport.full_clean()
    rapport.save()
    from .tasks import rapport_generer_tache

    planifier_apres_commit(rapport_generer_tache, str(rapport.pk))
    return rapport


def contexte_rapport(annee: int) -> dict:
    """Every figure of the report, computed in SQL (a fixed number of queries)."""
    from .selectors import carte_montants, satisfaction_agregats, tableau_croise_lignes
    from .statistiques import chiffres_annee, delais, montants_par_annee

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


def rapport_generer(*, rapport_id) -> bool:
    """Render and store the PDF. Safe to run twice: only the run that claims the row works."""
    reclame = RapportPilotage.objects.filter(
        pk=rapport_id, statut__in=[RapportPilotage.Statut.EN_ATTENTE, RapportPilotage.Statut.ECHEC]
    ).update(statut=RapportPilotage.Statut.EN_COURS, erreur="")
    if not reclame:
        return False
    rapport = RapportPilotage.objects.get(pk=rapport_id)
    try:
        from weasyprint import HTML  # heavy import: only in the worker that renders

        contenu = HTML(string=rapport_html(rapport.annee, le=rapport.cree_le)).write_pdf()
    except Exception as erreur:
        RapportPilotage.objects.filter(pk=rapport_id).update(
            statut=RapportPilotage.Statut.ECHEC, erreur=str(erreur)[:2000]
        )
        raise
    with transaction.atomic():
        rapport.fichier.save(
            f"rapport-pilotage-{rapport.annee}-{rapport.pk.hex[:8]}.pdf", ContentFile(contenu), save=False
        )
        rapport.sha256 = hashlib.sha256(contenu).hexdigest()
        rapport.statut = RapportPilotage.Statut.PRET
        rapport.pret_le = timezone.now()
        rapport.full_clean()
        rapport.save(update_fields=["fichier", "sha256", "statut", "pret_le"])
    return True
