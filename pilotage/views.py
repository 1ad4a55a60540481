"""Staff pages of pilotage: /agents/pilotage/ (cross-tables, map, exports, yearly report) and the
statistics of one dispositif /agents/aides/<pk>/statistiques/.

Every agent reads them (aggregates, no personal data); the panel of company heads (personal data)
is exported by pilotage and administrators only.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aides.catalogue.views.agents import dispositif_ou_404
from portal.acces import agent_requis
from portal.documents import document_reponse
from portal.roles import Role
from portal.tableurs import Classeur, Colonne

from . import statistiques
from .agregats import agregats_calcules_le
from .forms import LIGNES, TableauCroiseForm
from .models import MembrePanel, RapportPilotage
from .pages import COLONNES, figures_html, formulaire_html
from .rapport import rapport_demander
from .selectors import libelles_dimension, statistiques_dispositif, tableau_croise_lignes

ANNEE_MIN = 2015


def annee_demandee(parametres) -> int:
    """The `annee` parameter (a request's GET or POST), or the current year when missing or out of range."""
    if hasattr(parametres, "GET"):
        parametres = parametres.GET
    courante = timezone.localdate().year
    try:
        annee = int(parametres.get("annee", courante))
    except ValueError:
        return courante
    return annee if ANNEE_MIN <= annee <= courante + 1 else courante


def annees_proposees() -> list[int]:
    courante = timezone.localdate().year
    return list(range(courante, courante - 6, -1))


@agent_requis()
def dispositif_statistiques(request, pk: int):
    dispositif = dispositif_ou_404(pk)
    annee = annee_demandee(request)
    return render(
        request,
        "pilotage/dispositif.html",
        {"dispositif": dispositif, "annees": annees_proposees(), **statistiques_dispositif(dispositif, annee)},
    )


# --- Cross-tables, map, exports, report -----------------------------------------------------------

ROLES_PILOTAGE = (Role.PILOTAGE, Role.ADMINISTRATEUR)


@agent_requis()
def tableaux(request):
    # A form, not a FilterSet: the criteria parameterise sums grouped by a chosen axis, not a list.
    form = TableauCroiseForm(request.GET or None)
    return render(
        request,
        "pilotage/tableaux.html",
        {
            "formulaire": formulaire_html(form, request.GET.urlencode()),
            "figures": figures_html(form.criteres()),
            "chiffres_au": agregats_calcules_le(),
            "peut_piloter": request.user.a_role(*ROLES_PILOTAGE),
            "rapports": RapportPilotage.objects.select_related("document")[:5],
            "annees": annees_proposees(),
        },
    )


@agent_requis()
def tableaux_xlsx(request):
    """The table shown (same filters) and the full cube direction × département × thématique × year."""
    form = TableauCroiseForm(request.GET or None)
    criteres = form.criteres()
    lignes, _total = tableau_croise_lignes(criteres)
    cube = statistiques.tableau_croise(
        **{**criteres, "lignes": "annee"}, colonnes=("direction", "departement", "thematique")
    )
    directions = libelles_dimension("direction", {x["direction_id"] for x in cube})
    themes = libelles_dimension("thematique", [])
    chiffres = [Colonne(libelle, "euros" if code == "montant" else "entier", 16) for code, libelle in COLONNES]
    classeur = Classeur()
    classeur.feuille(
        f"Par {dict(LIGNES)[criteres['lignes']].lower()}",
        [Colonne(dict(LIGNES)[criteres["lignes"]], largeur=30), *chiffres],
        ([x["libelle"], *(x[code] for code, _l in COLONNES)] for x in lignes),
    )
    classeur.feuille(
        "Cube",
        [
            Colonne("Année", "entier", 8),
            Colonne("Direction", largeur=24),
            Colonne("Département", largeur=12),
            Colonne("Thématique", largeur=24),
            *chiffres,
        ],
        (
            [
                x["annee"],
                directions.get(x["direction_id"], ""),
                x["departement_id"] or "",
                themes.get(x["thematique"], "") if x["thematique"] else "",
                *(x[code] for code, _l in COLONNES),
            ]
            for x in cube
        ),
    )
    return classeur.reponse(f"pilotage-{timezone.localdate():%Y-%m-%d}.xlsx")


@agent_requis(*ROLES_PILOTAGE)
@require_POST
def rapport_creer(request):
    annee = annee_demandee(request.POST)
    rapport = rapport_demander(annee=annee, par=request.user)
    return redirect("pilotage:rapport", pk=rapport.pk)


@never_cache
@agent_requis()
def rapport(request, pk):
    rapport = get_object_or_404(RapportPilotage.objects.select_related("document"), pk=pk)
    return render(request, "pilotage/rapport.html", {"rapport": rapport, "document": rapport.document})


@agent_requis()
def rapport_fichier(request, pk):
    rapport = get_object_or_404(RapportPilotage.objects.select_related("document"), pk=pk)
    return document_reponse(request, rapport.document, nom=f"rapport-pilotage-{rapport.annee}.pdf")


@agent_requis(*ROLES_PILOTAGE)
def panel_xlsx(request):
    """The company heads who volunteered to be consulted (personal data: pilotage and administrators)."""
    membres = MembrePanel.objects.select_related("entreprise").order_by("nom").iterator(chunk_size=1000)
    classeur = Classeur()
    classeur.feuille(
        "Panel",
        [
            Colonne("Nom", largeur=24),
            Colonne("Fonction", largeur=20),
            Colonne("Courriel", largeur=30),
            Colonne("Entreprise", largeur=30),
            Colonne("SIREN", largeur=12),
            Colonne("Inscrit le", "date", 12),
        ],
        (
            [
                m.nom,
                m.fonction,
                m.email,
                m.entreprise.denomination if m.entreprise else "",
                m.entreprise.siren if m.entreprise else "",
                m.inscrit_le,
            ]
            for m in membres
        ),
    )
    return classeur.reponse(f"panel-dirigeants-{timezone.localdate():%Y-%m-%d}.xlsx")
