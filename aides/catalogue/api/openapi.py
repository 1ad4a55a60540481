from datetime import datetime
from typing import Any

import django_filters
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from aides.catalogue.api.champs import CHAMPS_API, VERSION_API
from aides.catalogue.filters import DispositifFilterSet
from portal.limites import limite


def _parametre_filtre(nom: str, filtre: django_filters.Filter) -> dict:
    schema: dict[str, Any] = {"type": "string"}
    multiple = isinstance(filtre, django_filters.MultipleChoiceFilter)
    choix = getattr(filtre, "extra", {}).get("choices")
    if choix:
        schema["enum"] = [code for code, _ in choix]
    if multiple:
        schema = {"type": "array", "items": schema}
    if nom == "clos":
        schema = {"type": "string", "enum": ["1"]}
    description = str(filtre.label or nom)
    if filtre.extra.get("help_text"):
        description += f" – {filtre.extra['help_text']}"
    parametre = {"name": nom, "in": "query", "required": False, "description": description, "schema": schema}
    if multiple:
        parametre.update(style="form", explode=True)
    return parametre


def parametres() -> list[dict]:
    """The catalogue's filters (read from its FilterSet), then the API's own parameters."""
    liste = [_parametre_filtre(nom, filtre) for nom, filtre in DispositifFilterSet.base_filters.items()]
    liste += [
        {
            "name": "modifie_depuis",
            "in": "query",
            "required": False,
            "description": "Seulement les aides modifiées à partir de cette date (AAAA-MM-JJ) ou de cet instant "
            "ISO 8601 : pour un import incrémental.",
            "schema": {"type": "string"},
        },
        {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
        {
            "name": "par_page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
        },
    ]
    return liste


def schema_openapi(url_serveur: str) -> dict:
    aide = {
        "type": "object",
        "properties": {champ.nom: champ.schema() for champ in CHAMPS_API},
        "required": [champ.nom for champ in CHAMPS_API],
    }
    erreur = {
        "type": "object",
        "properties": {
            "erreur": {"type": "string"},
            "erreurs": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
        "required": ["erreur"],
    }
    page = {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Aide"}},
        },
        "required": ["count", "page", "pages", "next", "previous", "results"],
    }

    def reponse_erreur(description: str) -> dict:
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}},
        }

    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Aides aux entreprises de la Région Hauts-de-France",
            "version": VERSION_API,
            "description": "Catalogue ouvert des aides publiées, mêmes filtres que la page /aides/. "
            "Réponses conditionnelles (ETag, Last-Modified → 304) ; au plus "
            f"{limite('api').par_adresse} requêtes par minute et par adresse (429 et Retry-After au-delà).",
            "license": {
                "name": "Licence Ouverte 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
        },
        "servers": [{"url": url_serveur}],
        "paths": {
            "/api/v1/aides/": {
                "get": {
                    "operationId": "listerAides",
                    "summary": "Les aides publiées, paginées",
                    "parameters": parametres(),
                    "responses": {
                        "200": {
                            "description": "Une page d'aides.",
                            "headers": {
                                "ETag": {"schema": {"type": "string"}},
                                "Last-Modified": {"schema": {"type": "string"}},
                            },
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PageAides"}}},
                        },
                        "304": {"description": "Inchangé depuis l'ETag ou la date donnés."},
                        "400": reponse_erreur("Paramètre invalide (message en français, par champ)."),
                        "404": reponse_erreur("Page au-delà de la dernière."),
                        "429": {
                            **reponse_erreur("Trop de requêtes depuis cette adresse."),
                            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        },
                    },
                }
            }
        },
        "components": {"schemas": {"Aide": aide, "PageAides": page, "Erreur": erreur}},
    }


def modifie_depuis(valeur: str) -> datetime | None:
    """`modifie_depuis`: a date (midnight, local time) or an ISO 8601 instant; ValueError otherwise."""

    instant = parse_datetime(valeur)
    if instant is None:
        jour = parse_date(valeur)
        if jour is None:
            raise ValueError(valeur)
        instant = datetime(jour.year, jour.month, jour.day)
    if timezone.is_naive(instant):
        instant = timezone.make_aware(instant)
    return instant
