from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from aides.conventions.forms.convention import (
    TableauFiltresForm,
)
from aides.conventions.models.convention import ETAPES_EN_COURS
from aides.conventions.scdl import FORMAT_SCDL, annee_publiable, scdl_lignes
from aides.conventions.selectors import (
    conventions_tableau,
    delais_par_etape,
    feder_par_objectif,
    jours_par_etape,
    operations_sans_preuve_publicite,
)
from aides.conventions.tableau_saf import (
    BloqueesDabord,
    comptes_courants,
    delais_courants,
    minute_courante,
    premieres_a_creer,
)
from portal.acces import agent_requis
from portal.permissions import exiger
from portal.roles import Role
from portal.tableurs import Classeur, Colonne, csv_reponse

ROLES_SAF = (Role.GESTIONNAIRE_SAF, Role.ADMINISTRATEUR)


def _filtres(request):
    # A form, not a FilterSet: the criteria also choose the per-step counts and delays, and the list
    # is paged by BloqueesDabord along the index (the stalled, then the others), from these criteria.
    form = TableauFiltresForm(request.GET or None)
    criteres = {}
    if form.is_valid():
        d = form.cleaned_data
        criteres = {
            "etape": d.get("etape") or None,
            "dispositif_id": d["dispositif"].pk if d.get("dispositif") else None,
            "direction_id": d["direction"].pk if d.get("direction") else None,
            "bloquees": d.get("bloquees") or False,
            "gestionnaire_id": request.user.pk if d.get("miennes") else None,
            "versements_a_controler": d.get("versements") or False,
        }
    return form, criteres


@agent_requis()
def tableau(request):
    exiger(request.user, "tableau_saf", "lire", introuvable=False)
    form, criteres = _filtres(request)
    jours, maintenant = settings.SAF_JOURS_BLOCAGE, minute_courante()
    axes = {"dispositif_id": criteres.get("dispositif_id"), "direction_id": criteres.get("direction_id")}
    comptes = comptes_courants(jours_blocage=jours, maintenant=maintenant, **axes)
    # The per-step counts already give the list's totals when it is filtered on nothing else.
    connus = {}
    if not any(v for cle, v in criteres.items() if cle not in axes):
        connus = {"total": sum(c.nombre for c in comptes), "bloquees": sum(c.bloquees for c in comptes)}
    qs = conventions_tableau(jours_blocage=jours, maintenant=maintenant, **criteres)
    page = Paginator(BloqueesDabord(qs, **connus), 50).get_page(request.GET.get("page"))
    debut, fin = form.periode()
    delais = delais_courants(debut=debut, fin=fin, **axes)
    return render(
        request,
        "aides/saf/tableau.html",
        {
            "filtres": form,
            "page": page,
            "lignes": [(c, (maintenant - c.etape_depuis).days) for c in page.object_list],
            "comptes": comptes,
            "delais_tout": [d for d in delais if d.axe == "tout"],
            "delais_direction": [d for d in delais if d.axe == "direction"],
            "delais_dispositif": [d for d in delais if d.axe == "dispositif"],
            "debut": debut,
            "fin": fin,
            "jours": jours,
            "a_creer": premieres_a_creer(10),
            "peut_gerer": request.user.a_role(*ROLES_SAF),
        },
    )


COLONNES_XLSX = [
    Colonne("Numéro", largeur=18),
    Colonne("Bénéficiaire", largeur=36),
    Colonne("SIRET", largeur=16),
    Colonne("Dispositif", largeur=36),
    Colonne("Direction", largeur=10),
    Colonne("Montant", "euros", largeur=16),
    Colonne("Étape", largeur=28),
    Colonne("Depuis le", "date", largeur=12),
    Colonne("Âge (jours)", "entier", largeur=12),
    Colonne("Bloquée", "oui_non", largeur=10),
    Colonne("Créée le", "date", largeur=12),
] + [Colonne(f"Jours « {etape.label} »", "nombre", largeur=14) for etape in ETAPES_EN_COURS]


COLONNES_DELAIS = [
    Colonne("Étape", largeur=28),
    Colonne("Par", largeur=12),
    Colonne("Direction ou dispositif", largeur=36),
    Colonne("Conventions", "entier", largeur=12),
    Colonne("Médiane (jours)", "nombre", largeur=16),
    Colonne("90e centile (jours)", "nombre", largeur=18),
]


@agent_requis()
def export_xlsx(request):
    exiger(request.user, "tableau_saf", "lire", introuvable=False)
    """The dashboard's list (same filters) as a spreadsheet, with the days spent in each step, and
    a second sheet of delays per step (median, 90th percentile) over the dashboard's period."""
    form, criteres = _filtres(request)
    debut, fin = form.periode()
    maintenant = timezone.now()
    classeur = Classeur()
    conventions = conventions_tableau(jours_blocage=settings.SAF_JOURS_BLOCAGE, **criteres).prefetch_related("etapes")

    def lignes():
        for c in conventions.iterator(chunk_size=2000):
            jours = jours_par_etape(c, maintenant=maintenant)
            yield [
                c.numero,
                c.etablissement.entreprise.denomination,
                c.etablissement.siret,
                c.dispositif.nom,
                c.direction.code,
                c.montant,
                c.get_etape_display(),
                c.etape_depuis,
                (maintenant - c.etape_depuis).days,
                c.bloquee,
                c.cree_le,
            ] + [jours.get(etape.value) for etape in ETAPES_EN_COURS]

    classeur.feuille("Conventions", COLONNES_XLSX, lignes())
    delais = delais_par_etape(
        debut=debut, fin=fin, dispositif_id=criteres.get("dispositif_id"), direction_id=criteres.get("direction_id")
    )
    axes = {"tout": "Toutes", "direction": "Direction", "dispositif": "Dispositif"}
    classeur.feuille(
        f"Délais {debut:%d-%m-%Y} au {fin:%d-%m-%Y}",
        COLONNES_DELAIS,
        ([d.libelle, axes[d.axe], d.cle, d.nombre, d.mediane, d.p90] for d in delais),
    )
    return classeur.reponse(f"conventions-{timezone.localdate():%Y-%m-%d}.xlsx")


@agent_requis()
def feder(request):
    exiger(request.user, "tableau_saf", "lire", introuvable=False)
    sans_preuve = Paginator(operations_sans_preuve_publicite(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "aides/saf/feder.html",
        {"objectifs": feder_par_objectif(), "sans_preuve": sans_preuve},
    )


@agent_requis()
def scdl(request):
    exiger(request.user, "tableau_saf", "lire", introuvable=False)

    try:
        annee = annee_publiable(request.GET.get("annee") or timezone.localdate().year)
    except ValueError as erreur:
        return HttpResponse(str(erreur), status=400, content_type="text/plain; charset=utf-8")
    nom = f"subventions-region-hdf-{annee}.csv"
    return csv_reponse(nom, *scdl_lignes(annee), flux=False, **FORMAT_SCDL)
