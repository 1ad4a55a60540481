import hashlib
from datetime import datetime, time

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from aides.catalogue import api
from aides.catalogue.filters import DispositifFilterSet
from aides.catalogue.selectors import (
    catalogue_filtrer,
    catalogue_generation,
    page_stricte,
)
from aides.catalogue.services import aides_territoires
from aides.catalogue.views.catalogue.pages import API_PAR_PAGE, API_PAR_PAGE_MAX, avec
from portal.limites import limite_requise


def erreur_json(message: str, statut: int, erreurs: dict | None = None) -> JsonResponse:
    corps = {"erreur": message}
    if erreurs:
        corps["erreurs"] = erreurs
    return JsonResponse(corps, status=statut, json_dumps_params={"ensure_ascii": False})


class ParametreInvalide(Exception):
    """A paging or date parameter of the API the client must fix (its French message, HTTP status)."""

    def __init__(self, message: str, statut: int = 400, erreurs: dict | None = None):
        super().__init__(message)
        self.message, self.statut, self.erreurs = message, statut, erreurs


def _pagination(request: HttpRequest) -> tuple[int, int]:
    """(page, par_page) from the query string, or ParametreInvalide."""
    par_page_texte = request.GET.get("par_page") or str(API_PAR_PAGE)
    if not par_page_texte.isdigit() or not 1 <= int(par_page_texte) <= API_PAR_PAGE_MAX:
        raise ParametreInvalide(
            f"« par_page » doit être un nombre entier entre 1 et {API_PAR_PAGE_MAX}.",
            erreurs={"par_page": [f"Entre 1 et {API_PAR_PAGE_MAX}."]},
        )
    try:
        return page_stricte(request.GET.get("page")), int(par_page_texte)
    except Http404:
        raise ParametreInvalide("« page » doit être un nombre entier supérieur ou égal à 1.") from None


def _modifies_depuis(request: HttpRequest, qs):
    if depuis_texte := request.GET.get("modifie_depuis"):
        try:
            return qs.filter(modifie_le__gte=api.modifie_depuis(depuis_texte))
        except ValueError:
            message = (
                "« modifie_depuis » attend une date AAAA-MM-JJ ou un instant ISO 8601 (2026-12-01T08:00:00+01:00)."
            )
            raise ParametreInvalide(message, erreurs={"modifie_depuis": [message]}) from None
    return qs


def _contenu(corps: dict, resultats: str, dispositifs: list) -> tuple[bytes, int]:
    """The JSON body (`corps` with the `results` array already written) and its Last-Modified."""
    tete = api.en_texte_json({**corps, "results": []})  # json.dumps(corps with its results), byte for byte
    contenu = f"{tete.removesuffix('[]}')}{resultats}}}".encode()
    # « ouvert » changes at midnight: the page is at least as new as today's start.
    debut_du_jour = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    derniere = max([debut_du_jour, *(d.modifie_le for d in dispositifs)])
    return contenu, int(derniere.timestamp())


def _reponse_conditionnelle(request: HttpRequest, contenu: bytes, derniere_http: int) -> HttpResponse:
    """The JSON with ETag and Last-Modified (a client that has it gets 304), open to every origin."""
    etag = f'"{hashlib.sha256(contenu).hexdigest()[:32]}"'
    reponse = get_conditional_response(request, etag=etag, last_modified=derniere_http)
    if reponse is None:
        reponse = HttpResponse(contenu, content_type="application/json")
    reponse["ETag"] = etag
    reponse["Last-Modified"] = http_date(derniere_http)
    reponse["Access-Control-Allow-Origin"] = "*"  # open data, no credentials involved
    reponse["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
    patch_cache_control(reponse, public=True, max_age=0, must_revalidate=True)
    return reponse


@limite_requise("api", methodes=None)
def api_aides(request: HttpRequest) -> HttpResponse:
    filtres = DispositifFilterSet(request.GET)
    if not filtres.form.is_valid():
        erreurs = {champ: [str(m) for m in messages] for champ, messages in filtres.form.errors.items()}
        return erreur_json("Paramètre de recherche invalide.", 400, erreurs)
    try:
        page, par_page = _pagination(request)
        qs = _modifies_depuis(request, catalogue_filtrer(filtres).defer(None).defer("recherche"))
        total = qs.count()
        pages = max(1, -(-total // par_page))
        if page > pages:
            raise ParametreInvalide(f"Page {page} inexistante : cette recherche compte {pages} page(s).", 404)
    except ParametreInvalide as erreur:
        return erreur_json(erreur.message, erreur.statut, erreur.erreurs)
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
    }
    duree = settings.CATALOGUE_CACHE_FACETTES_SECONDES
    resultats = api.resultats_en_json(dispositifs, api.Contexte(request), catalogue_generation(), duree)
    return _reponse_conditionnelle(request, *_contenu(corps, resultats, dispositifs))


@limite_requise("api", methodes=None)
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
