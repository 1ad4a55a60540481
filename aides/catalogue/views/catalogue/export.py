from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.filters import DispositifFilterSet
from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Public, RegimeAide, Stade, Thematique
from aides.catalogue.selectors import (
    catalogue_filtrer,
)
from aides.catalogue.views.catalogue.pages import libelles_liste, territoire_texte
from portal.tableurs import csv_reponse


def libelles(choix, codes) -> str:
    return ", ".join(libelles_liste(choix, codes))


def nombre_francais(valeur) -> str:
    return "" if valeur is None else str(valeur).replace(".", ",")


def date_francaise(valeur) -> str:
    return valeur.strftime("%d/%m/%Y") if valeur else ""


COLONNES_CSV = (
    "Nom",
    "Adresse",
    "Résumé",
    "Thématiques",
    "Nature",
    "Publics",
    "Stades",
    "Effectif minimum",
    "Effectif maximum",
    "Montant minimum (€)",
    "Montant maximum (€)",
    "Taux maximum (%)",
    "Régime",
    "Éligible FEDER",
    "Territoire",
    "Direction",
    "Opérateur",
    "Ouverture",
    "Clôture",
    "État",
)


def ligne_csv(dispositif: Dispositif, request: HttpRequest) -> list:
    operateur = dispositif.get_operateur_display()
    if dispositif.operateur_nom:
        operateur = f"{operateur} – {dispositif.operateur_nom}"
    valeurs = [
        dispositif.nom,
        request.build_absolute_uri(reverse("aides:detail", args=[dispositif.slug])),
        dispositif.resume,
        libelles(Thematique, dispositif.thematiques),
        libelles(Nature, [dispositif.nature]),
        libelles(Public, dispositif.publics),
        libelles(Stade, dispositif.stades),
        dispositif.effectif_min,
        dispositif.effectif_max,
        nombre_francais(dispositif.montant_min),
        nombre_francais(dispositif.montant_max),
        nombre_francais(dispositif.taux_max),
        libelles(RegimeAide, [dispositif.regime]),
        "oui" if dispositif.eligible_feder else "non",
        territoire_texte(dispositif),
        dispositif.direction.code,
        operateur,
        date_francaise(dispositif.date_ouverture),
        date_francaise(dispositif.date_cloture),
        "ouverte" if dispositif.est_ouvert() else "clôturée",
    ]
    return valeurs


def export_csv(request: HttpRequest) -> HttpResponse:
    filtres = DispositifFilterSet(request.GET)
    if not filtres.form.is_valid():
        messages = "; ".join(str(m) for erreurs in filtres.form.errors.values() for m in erreurs)
        return HttpResponse(
            f"Paramètre de recherche invalide : {messages}", status=400, content_type="text/plain; charset=utf-8"
        )
    lignes = (ligne_csv(dispositif, request) for dispositif in catalogue_filtrer(filtres).iterator(chunk_size=500))
    return csv_reponse(f"aides-hauts-de-france-{timezone.localdate():%Y-%m-%d}.csv", COLONNES_CSV, lignes)
