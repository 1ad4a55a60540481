import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from aides.catalogue.cartes import cartes_de_la_page, panneau_facettes, territoire_texte
from aides.catalogue.filters import FACETTES, FACETTES_PAR_NOM, DispositifFilterSet
from aides.catalogue.referentiels import Public, Stade, Thematique
from aides.catalogue.rendu import markdown_en_html
from aides.catalogue.selectors import (
    catalogue_generation,
    catalogue_rechercher,
    dispositif_public,
    dispositifs_voisins,
    page_demandee,
)

API_PAR_PAGE = 50


API_PAR_PAGE_MAX = 100


PARAMETRES_TECHNIQUES = ("page", "fragment", "par_page")


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


def liens_pages(params: QueryDict, resultat) -> dict:
    """The pagination's query strings: the search's own (`params` has no `page`), then its page, as
    `avec(params, page=n)` writes them, without copying the parameters for each link."""
    requete = params.urlencode()
    debut = f"{requete}&page=" if requete else "page="
    page, pages = resultat.page, resultat.pages
    return {
        "page_precedente": f"{debut}{page - 1}" if page > 1 else None,
        "page_suivante": f"{debut}{page + 1}" if page < pages else None,
        "pages_proches": [(numero, f"{debut}{numero}") for numero in range(max(1, page - 2), min(pages, page + 2) + 1)],
    }


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


@functools.cache
def adresses_catalogue() -> dict[str, str]:
    """The fixed addresses a results page links to, reversed once per process (a page used to spend
    more on these reverse() than on its cards)."""
    noms = ("catalogue", "alerte-nouvelle", "flux", "calendrier", "export-csv", "api", "api-documentation")
    return {nom.replace("-", "_"): reverse(f"aides:{nom}") for nom in noms}


def liens_pour_suivre(params: QueryDict) -> dict[str, str]:
    """Where this search can be followed or downloaded (alert, feed, calendar, CSV, API), with its
    parameters, and the API's documentation."""
    adresses = adresses_catalogue()
    suite = f"?{requete}" if (requete := params.urlencode()) else ""
    liens = {nom: adresses[nom] + suite for nom in ("alerte_nouvelle", "flux", "calendrier", "export_csv", "api")}
    return {**liens, "api_documentation": adresses["api_documentation"]}


def est_fragment(request: HttpRequest) -> bool:
    return request.GET.get("fragment") == "1" or request.META.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest"


def cle_page_anonyme(request: HttpRequest, version: str | None) -> str | None:
    """The shared-cache key of the rendered catalogue page for an anonymous visitor (the page is then
    the same for everyone: no user menu, no message waiting) under the catalogue's generation
    `version`; None when it must be rendered."""
    if not (settings.CATALOGUE_CACHE_PAGE_ANONYME and version):
        return None
    if request.user.is_authenticated or len(get_messages(request)):
        return None
    parametres = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    return f"catalogue:html:{version}:{timezone.localdate()}:{int(est_fragment(request))}:{parametres}"


def catalogue(request: HttpRequest) -> HttpResponse:
    version = catalogue_generation()
    cle = cle_page_anonyme(request, version)
    if cle and (html := cache.get(cle)) is not None:
        reponse = HttpResponse(html)
        patch_vary_headers(reponse, ["X-Requested-With"])
        return reponse
    filtres = DispositifFilterSet(request.GET, generation=version)
    filtres.form.is_valid()  # invalid filters are reported and left out, the rest still applies
    resultat = catalogue_rechercher(filtres, page=page_demandee(request.GET.get("page")))
    cartes = cartes_de_la_page(resultat, settings.CATALOGUE_CACHE_FACETTES_SECONDES)
    params = parametres_recherche(request)
    champ_commune = filtres.form.fields["commune"]
    contexte = {
        "filtres": filtres,
        "form": filtres.form,
        "catalogue": resultat,
        "cartes": cartes,
        "panneau_facettes": panneau_facettes(resultat, filtres, settings.CATALOGUE_CACHE_FACETTES_SECONDES),
        "adresse_catalogue": adresses_catalogue()["catalogue"],
        "requete": params.urlencode(),
        "suivre": liens_pour_suivre(params),
        "actifs": filtres_actifs(filtres, params),
        "retraits": retraits_utiles(filtres, params, resultat.sans) if not resultat.total else [],
        "suggestions_commune": [
            (commune, avec(params, commune=commune.code_insee)) for commune in getattr(champ_commune, "suggestions", [])
        ],
        **liens_pages(params, resultat),
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
