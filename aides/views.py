"""Public catalogue: the search page, a dispositif's page, the open-data JSON API and the CSV export."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from portal.cache import generation
from portal.limites import limiter
from portal.tableurs import csv_reponse

from . import aides_territoires, api
from .cartes import cartes_rendues, habiller, territoire_texte
from .filters import FACETTES, FACETTES_PAR_NOM, DispositifFilterSet
from .models import Dispositif
from .referentiels import Nature, Public, RegimeAide, Stade, Thematique
from .rendu import markdown_en_html
from .selectors import (
    catalogue_filtrer,
    catalogue_rechercher,
    dispositif_public,
    dispositifs_voisins,
    page_demandee,
    page_stricte,
)

API_PAR_PAGE = 50
API_PAR_PAGE_MAX = 100
PARAMETRES_TECHNIQUES = ("page", "fragment", "par_page")


# --- Shareable URLs ---------------------------------------------------------------------------


def parametres_recherche(request: HttpRequest) -> QueryDict:
    """The GET parameters that describe a search (not the page, not the fragment switch)."""
    params = request.GET.copy()
    for nom in PARAMETRES_TECHNIQUES:
        params.pop(nom, None)
    return params


def avec(params: QueryDict, **valeurs) -> str:
    copie = params.copy()
    for nom, valeur in valeurs.items():
        copie.pop(nom, None)
        if valeur not in (None, ""):
            copie[nom] = valeur
    return copie.urlencode()


def sans(params: QueryDict, nom: str, valeur: str | None = None) -> str:
    """The query string without a parameter, or without one of its values."""
    copie = params.copy()
    if valeur is None:
        copie.pop(nom, None)
    else:
        copie.setlist(nom, [v for v in copie.getlist(nom) if v != valeur])
    return copie.urlencode()


@dataclass(frozen=True)
class FiltreActif:
    libelle: str
    requete: str  # the query string once this filter is removed
    nombre: int | None = None  # results once removed, when known


def filtres_actifs(filtres: DispositifFilterSet, params: QueryDict) -> list[FiltreActif]:
    """Each active filter value, with the link that removes it."""
    actifs = []
    if texte := filtres.valeur("q"):
        actifs.append(FiltreActif(f"Mots-clés : « {texte} »", sans(params, "q")))
    if commune := filtres.commune_choisie:
        actifs.append(FiltreActif(f"Commune : {commune}", sans(params, "commune")))
    for facette in FACETTES:
        libelles = dict(facette.choix.choices)
        for code in filtres.valeurs_cochees(facette.nom):
            actifs.append(FiltreActif(f"{facette.libelle} : {libelles[code]}", sans(params, facette.nom, code)))
    if filtres.avec_clos:
        actifs.append(FiltreActif("Aides clôturées affichées", sans(params, "clos")))
    return actifs


def retraits_utiles(filtres: DispositifFilterSet, params: QueryDict, nombres: dict[str, int]) -> list[FiltreActif]:
    """For an empty result: which filter to remove (or closed aids to show), and what it would give."""
    retraits = []
    for nom, nombre in nombres.items():
        if not nombre:
            continue
        if nom == "clos":
            retraits.append(FiltreActif("Afficher aussi les aides clôturées", avec(params, clos="1"), nombre))
        elif nom == "q":
            retraits.append(FiltreActif(f"Retirer les mots-clés « {filtres.valeur('q')} »", sans(params, "q"), nombre))
        elif nom == "commune":
            retraits.append(
                FiltreActif(f"Retirer la commune {filtres.commune_choisie}", sans(params, "commune"), nombre)
            )
        elif nom in FACETTES_PAR_NOM:
            facette = FACETTES_PAR_NOM[nom]
            libelles = dict(facette.choix.choices)
            valeurs = ", ".join(libelles[code] for code in filtres.valeurs_cochees(nom))
            retraits.append(
                FiltreActif(f"Retirer le filtre « {facette.libelle} » ({valeurs})", sans(params, nom), nombre)
            )
    return sorted(retraits, key=lambda r: -r.nombre)


def libelles_liste(choix, codes) -> list[str]:
    etiquettes = dict(choix.choices)
    return [str(etiquettes.get(code, code)) for code in codes]


# --- Pages ------------------------------------------------------------------------------------


def est_fragment(request: HttpRequest) -> bool:
    return request.GET.get("fragment") == "1" or request.headers.get("X-Requested-With") == "XMLHttpRequest"


def cle_page_anonyme(request: HttpRequest) -> str | None:
    """The shared-cache key of the rendered catalogue page for an anonymous visitor (the page is then
    the same for everyone: no user menu, no message waiting); None when it must be rendered."""
    if not (settings.CATALOGUE_CACHE_PAGE_ANONYME and settings.CATALOGUE_CACHE_FACETTES_SECONDES):
        return None
    if request.user.is_authenticated or len(get_messages(request)):
        return None
    version = generation("catalogue")
    if not version:
        return None
    parametres = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    return f"catalogue:html:{version}:{timezone.localdate()}:{int(est_fragment(request))}:{parametres}"


def catalogue(request: HttpRequest) -> HttpResponse:
    cle = cle_page_anonyme(request)
    if cle and (html := cache.get(cle)) is not None:
        reponse = HttpResponse(html)
        patch_vary_headers(reponse, ["X-Requested-With"])
        return reponse
    filtres = DispositifFilterSet(request.GET)
    filtres.form.is_valid()  # invalid filters are reported and left out, the rest still applies
    resultat = catalogue_rechercher(filtres, page=page_demandee(request.GET.get("page")))
    habiller(resultat.dispositifs)
    cartes = cartes_rendues(resultat.dispositifs, resultat.generation, settings.CATALOGUE_CACHE_FACETTES_SECONDES)
    params = parametres_recherche(request)
    champ_commune = filtres.form.fields["commune"]
    contexte = {
        "filtres": filtres,
        "form": filtres.form,
        "catalogue": resultat,
        "cartes": cartes,
        "adresse_catalogue": reverse("aides:catalogue"),
        "requete": params.urlencode(),
        "actifs": filtres_actifs(filtres, params),
        "retraits": retraits_utiles(filtres, params, resultat.sans) if not resultat.total else [],
        "suggestions_commune": [
            (commune, avec(params, commune=commune.code_insee)) for commune in getattr(champ_commune, "suggestions", [])
        ],
        "page_precedente": avec(params, page=resultat.page - 1) if resultat.page > 1 else None,
        "page_suivante": avec(params, page=resultat.page + 1) if resultat.page < resultat.pages else None,
        "pages_proches": [
            (numero, avec(params, page=numero))
            for numero in range(max(1, resultat.page - 2), min(resultat.pages, resultat.page + 2) + 1)
        ],
    }
    contexte["fragment"] = est_fragment(request)
    gabarit = "aides/_resultats.html" if contexte["fragment"] else "aides/catalogue.html"
    reponse = render(request, gabarit, contexte)
    patch_vary_headers(reponse, ["X-Requested-With"])
    if cle and reponse.status_code == 200:
        cache.set(cle, reponse.content, settings.CATALOGUE_CACHE_FACETTES_SECONDES)
    return reponse


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    dispositif = dispositif_public(slug)
    jour = timezone.localdate()
    contexte = {
        "dispositif": dispositif,
        "ouvert": dispositif.est_ouvert(jour),
        "clos": dispositif.date_cloture is not None and dispositif.date_cloture < jour,
        "pas_encore_ouvert": dispositif.date_ouverture is not None and dispositif.date_ouverture > jour,
        "description": markdown_en_html(dispositif.description),
        "territoire": territoire_texte(dispositif),
        "libelles": {
            "thematiques": libelles_liste(Thematique, dispositif.thematiques),
            "publics": libelles_liste(Public, dispositif.publics),
            "stades": libelles_liste(Stade, dispositif.stades),
        },
        "voisins": dispositifs_voisins(dispositif),
        # The online application arrives with the "demandes" issue; this is its entry point.
        "url_demande": reverse("espace:nouvelle", args=[dispositif.slug]),
    }
    return render(request, "aides/detail.html", contexte)


# --- Open data: JSON ----------------------------------------------------------------------------


def erreur_json(message: str, statut: int, erreurs: dict | None = None) -> JsonResponse:
    corps = {"erreur": message}
    if erreurs:
        corps["erreurs"] = erreurs
    return JsonResponse(corps, status=statut, json_dumps_params={"ensure_ascii": False})


@limiter("api", nombre=lambda: settings.API_LIMITE_PAR_MINUTE, periode=60)
def api_aides(request: HttpRequest) -> HttpResponse:
    filtres = DispositifFilterSet(request.GET)
    if not filtres.form.is_valid():
        erreurs = {champ: [str(m) for m in messages] for champ, messages in filtres.form.errors.items()}
        return erreur_json("Paramètre de recherche invalide.", 400, erreurs)
    par_page_texte = request.GET.get("par_page") or str(API_PAR_PAGE)
    if not par_page_texte.isdigit() or not 1 <= int(par_page_texte) <= API_PAR_PAGE_MAX:
        return erreur_json(
            f"« par_page » doit être un nombre entier entre 1 et {API_PAR_PAGE_MAX}.",
            400,
            {"par_page": [f"Entre 1 et {API_PAR_PAGE_MAX}."]},
        )
    par_page = int(par_page_texte)
    try:
        page = page_stricte(request.GET.get("page"))
    except Http404:
        return erreur_json("« page » doit être un nombre entier supérieur ou égal à 1.", 400)
    qs = catalogue_filtrer(filtres).defer(None).defer("recherche")
    if depuis_texte := request.GET.get("modifie_depuis"):
        try:
            qs = qs.filter(modifie_le__gte=api.modifie_depuis(depuis_texte))
        except ValueError:
            message = (
                "« modifie_depuis » attend une date AAAA-MM-JJ ou un instant ISO 8601 (2026-12-01T08:00:00+01:00)."
            )
            return erreur_json(message, 400, {"modifie_depuis": [message]})

    total = qs.count()
    pages = max(1, -(-total // par_page))
    if page > pages:
        return erreur_json(f"Page {page} inexistante : cette recherche compte {pages} page(s).", 404)
    dispositifs = list(qs[(page - 1) * par_page : page * par_page])

    params = request.GET.copy()
    base = request.build_absolute_uri(request.path)

    def lien(numero: int) -> str:
        return f"{base}?{avec(params, page=numero)}"

    corps = {
        "count": total,
        "page": page,
        "pages": pages,
        "next": lien(page + 1) if page < pages else None,
        "previous": lien(page - 1) if page > 1 else None,
        "results": [api.dispositif_en_json(d, request) for d in dispositifs],
    }
    contenu = json.dumps(corps, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    etag = f'"{hashlib.sha256(contenu).hexdigest()[:32]}"'
    # « ouvert » changes at midnight: the page is at least as new as today's start.
    debut_du_jour = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    derniere = max([debut_du_jour, *(d.modifie_le for d in dispositifs)])
    derniere_http = int(derniere.timestamp())
    reponse = get_conditional_response(request, etag=etag, last_modified=derniere_http)
    if reponse is None:
        reponse = HttpResponse(contenu, content_type="application/json")
    reponse["ETag"] = etag
    reponse["Last-Modified"] = http_date(derniere_http)
    reponse["Access-Control-Allow-Origin"] = "*"  # open data, no credentials involved
    reponse["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
    patch_cache_control(reponse, public=True, max_age=0, must_revalidate=True)
    return reponse


@limiter("api", nombre=lambda: settings.API_LIMITE_PAR_MINUTE, periode=60)
def export_aides_territoires(request: HttpRequest) -> HttpResponse:
    """The search's aids in the format of Aides-territoires' API, for them (or an EPCI) to import."""
    filtres = DispositifFilterSet(request.GET)
    if not filtres.form.is_valid():
        erreurs = {champ: [str(m) for m in messages] for champ, messages in filtres.form.errors.items()}
        return erreur_json("Paramètre de recherche invalide.", 400, erreurs)
    dispositifs = catalogue_filtrer(filtres).defer(None).defer("recherche")
    reponse = JsonResponse(aides_territoires.catalogue_exporter(dispositifs), json_dumps_params={"ensure_ascii": False})
    reponse["Access-Control-Allow-Origin"] = "*"
    return reponse


def api_schema(request: HttpRequest) -> JsonResponse:
    """OpenAPI 3 description generated from the API's field table and the catalogue's filters."""
    reponse = JsonResponse(
        api.schema_openapi(request.build_absolute_uri("/").rstrip("/")), json_dumps_params={"ensure_ascii": False}
    )
    reponse["Access-Control-Allow-Origin"] = "*"
    return reponse


def api_documentation(request: HttpRequest) -> HttpResponse:
    """The same description as a readable page (rendered on the server, no script)."""
    schema = api.schema_openapi(request.build_absolute_uri("/").rstrip("/"))
    operation = schema["paths"]["/api/v1/aides/"]["get"]
    return render(
        request,
        "aides/api_documentation.html",
        {
            "schema": schema,
            "parametres": operation["parameters"],
            "reponses": operation["responses"],
            "champs": api.CHAMPS_API,
            "exemple": request.build_absolute_uri(reverse("aides:api")) + "?thematique=numerique&par_page=2",
        },
    )


# --- Open data: CSV ---------------------------------------------------------------------------


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
