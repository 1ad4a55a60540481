"""Public pages of pilotage: the survey reached from its signed link, the statistics and their open data."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.tableurs import csv_reponse

from .forms_enquete import EnqueteForm
from .models import ReponseEnquete
from .satisfaction import enquete_depuis_jeton, enquete_repondre
from .selectors import donnees_ouvertes, statistiques_publiques
from .views import annee_demandee, annees_proposees


@never_cache
def enquete(request, jeton: str):
    enquete = enquete_depuis_jeton(jeton)
    if enquete is None:
        return render(request, "pilotage/enquete_invalide.html", status=404)
    if ReponseEnquete.objects.filter(enquete=enquete).exists():
        return render(request, "pilotage/enquete_merci.html", {"deja": True})
    form = EnqueteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enquete_repondre(
                enquete=enquete,
                utilite=form.cleaned_data["utilite"],
                simplicite=form.cleaned_data["simplicite"],
                commentaire=form.cleaned_data["commentaire"],
                panel_nom=form.cleaned_data["panel_nom"],
                panel_fonction=form.cleaned_data["panel_fonction"],
            )
        except ValidationError:
            return render(request, "pilotage/enquete_merci.html", {"deja": True})
        return render(request, "pilotage/enquete_merci.html", {"deja": False})
    return render(
        request, "pilotage/enquete.html", {"form": form, "enquete": enquete}, status=400 if form.errors else 200
    )


def _annee_publique(request) -> int:

    return annee_demandee(request)


def statistiques_page(request):

    stats = statistiques_publiques(_annee_publique(request))
    return render(request, "pilotage/publiques.html", {**stats, "annees": annees_proposees()})


def statistiques_csv(request):
    stats = statistiques_publiques(_annee_publique(request))
    colonnes = ["indicateur", "annee", "dimension", "cle", "libelle", "valeur", "secret"]
    return csv_reponse(
        f"statistiques-aides-hauts-de-france-{stats['annee']}.csv",
        colonnes,
        ([ligne[c] for c in colonnes] for ligne in donnees_ouvertes(stats)),
    )


def statistiques_json(request):
    stats = statistiques_publiques(_annee_publique(request))
    return JsonResponse(
        {
            "annee": stats["annee"],
            "seuil_secret_statistique": stats["seuil"],
            "licence": "Licence Ouverte 2.0",
            "donnees": donnees_ouvertes(stats),
        },
        json_dumps_params={"ensure_ascii": False},
    )
