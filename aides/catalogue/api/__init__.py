"""Open API v1 of the catalogue: one table of fields serialises each aid AND describes it in OpenAPI 3.

`CHAMPS_API` is the only place a field of `/api/v1/aides/` is declared: `dispositif_en_json()` reads
values from it and `schema_openapi()` writes the schema from it, so the two cannot drift apart.
The query parameters are read from the catalogue's FilterSet (same filters as `/aides/`)."""

from aides.catalogue.api.champs import (  # noqa: F401
    CHAMPS_API,
    CODE_REGION,
    ORGANISME,
    VERSION_API,
    Champ,
    Contexte,
    adresse_depot,
    codes,
    decimal,
    description_texte,
    dispositif_en_json,
    en_texte_json,
    financeurs,
    instructeurs,
    liste_de,
    resultats_en_json,
    texte,
)
from aides.catalogue.api.openapi import _parametre_filtre, modifie_depuis, parametres, schema_openapi  # noqa: F401
