"""Public catalogue: the search page, a dispositif's page, the open-data JSON API and the CSV export."""

from aides.catalogue.views.catalogue.api import (  # noqa: F401
    api_aides,
    api_documentation,
    api_schema,
    erreur_json,
    export_aides_territoires,
)
from aides.catalogue.views.catalogue.export import (  # noqa: F401
    COLONNES_CSV,
    date_francaise,
    export_csv,
    libelles,
    ligne_csv,
    nombre_francais,
)
from aides.catalogue.views.catalogue.pages import (  # noqa: F401
    API_PAR_PAGE,
    API_PAR_PAGE_MAX,
    PARAMETRES_TECHNIQUES,
    FiltreActif,
    avec,
    catalogue,
    cle_page_anonyme,
    detail,
    est_fragment,
    filtres_actifs,
    libelles_liste,
    parametres_recherche,
    retraits_utiles,
    sans,
    territoire_texte,
)
