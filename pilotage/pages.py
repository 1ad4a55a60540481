"""The parts of the pilotage page /agents/pilotage/ kept in the statistics cache, as HTML: the
figures (cross-table, map, indicators, satisfaction) and the criteria form. Kept under the date of
the table of facts (pilotage.sql.en_cache) and the criteria: a rebuild is seen at once. The view
and the warm-up after each rebuild (pilotage.rechauffage) call the same functions, so the warm-up
fills exactly the entries the page reads."""

import hashlib

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import statistiques
from .forms import LIGNES, TableauCroiseForm
from .selectors import carte_montants, indicateurs_agreges, satisfaction_agregats, tableau_croise_lignes

COLONNES = [
    ("sollicitations", "Demandes de contact reçues"),
    ("deposees", "Demandes d'aide déposées"),
    ("accordees", "Aides accordées"),
    ("montant", "Montant accordé (€)"),
    ("entreprises", "Entreprises accompagnées"),
]


def cle_criteres(criteres: dict) -> str:
    return ":".join(f"{k}={v}" for k, v in sorted(criteres.items()))


def figures_html(criteres: dict) -> str:
    """The figures' HTML for these criteria (TableauCroiseForm.criteres()): read from the cache, or
    computed (each figure through its own cache entry) and rendered once."""
    return statistiques.en_cache(f"page:{cle_criteres(criteres)}", lambda: _figures_rendre(criteres))


def _figures_rendre(criteres: dict) -> str:
    annee = criteres["annee"]
    annee_carte = annee or timezone.localdate().year
    lignes, total = tableau_croise_lignes(criteres)
    return render_to_string(
        "pilotage/_tableaux_figures.html",
        {
            "criteres": criteres,
            "dimension": dict(LIGNES)[criteres["lignes"]],
            "colonnes": COLONNES,
            "lignes": lignes,
            "total": total,
            "annee_carte": annee_carte,
            "carte": carte_montants(
                annee_carte, lien=lambda siren: reverse("territoires_agents:epci-detail", args=[siren])
            ),
            "satisfaction": statistiques.en_cache(
                f"satisfaction:{annee}", lambda: satisfaction_agregats(annee=annee, par="direction")
            ),
            "indicateurs": statistiques.en_cache(
                f"indicateurs-dep:{annee}", lambda: indicateurs_agreges(par="departement", annee=annee)
            ),
            "indicateurs_titre": "Département",
            "indicateurs_dispositifs": statistiques.en_cache(
                f"indicateurs-disp:{annee}", lambda: indicateurs_agreges(par="dispositif", annee=annee)
            ),
        },
    )


def formulaire_html(form: TableauCroiseForm, parametres: str) -> str:
    """The criteria form as shown for these query parameters (`request.GET.urlencode()`, also the
    export link's): rendering its 120 choices costs more than reading it back."""
    empreinte = hashlib.md5(parametres.encode(), usedforsecurity=False).hexdigest()
    return statistiques.en_cache(
        f"formulaire:{empreinte}",
        lambda: render_to_string("pilotage/_tableaux_formulaire.html", {"form": form, "parametres": parametres}),
    )
