"""Import of INSEE's SIRENE stock files (StockUniteLegale, StockEtablissement), region only.

Streams both CSV files with the csv module (memory stays flat whatever their size), validates
each line, COPYs the kept lines into temporary tables, then upserts them in set-based SQL
(INSERT ... ON CONFLICT DO UPDATE ... WHERE changed): re-running updates, never duplicates.

Order: establishments first (to know which SIRENs have an establishment in the region), then the
legal units of those SIRENs, then the establishments joined to their company."""

from crm.sirene.chargement import (  # noqa: F401
    SQL_ENTREPRISES,
    SQL_ETABLISSEMENTS,
    SQL_TABLES,
    _inserer_etablissements,
    curseur_compte,
    rapport_texte,
    sirene_importer,
)
from crm.sirene.lecture import (  # noqa: F401
    COLONNES_ETABLISSEMENT,
    COLONNES_UNITE_LEGALE,
    EXEMPLES_PAR_RAISON,
    PAS_PROGRESSION,
    REQUISES_ETABLISSEMENT,
    REQUISES_UNITE_LEGALE,
    TAILLE_LOT_COPIE,
    TAILLE_LOT_INSERTION,
    TRANCHES,
    Compteur,
    FichierInvalide,
    RapportImport,
    _copie,
    _Copieur,
    _date,
    _lecteur,
    _lire_etablissements,
    _lire_unites_legales,
    _progression,
)
