"""The SAF back office (/agents/saf/): dashboard of the signature circuit, one convention, payments,
FEDER follow-up and the SCDL open-data export.

Every agent reads; the SAF managers (and administrators) act; the Région signs with the permission
aides.signer_convention_region (granted to the pilotage role, see AidesConfig)."""

from aides.conventions.views.saf.convention import (  # noqa: F401
    _action,
    _page,
    clore,
    convention,
    convention_lisible,
    creer,
    editer,
    envoyer,
    executer,
    notifier,
    piece_versement,
    signer_region,
    versement_avancer,
    versement_creer,
    version_telecharger,
)
from aides.conventions.views.saf.tableau import (  # noqa: F401
    COLONNES_DELAIS,
    COLONNES_XLSX,
    ROLES_SAF,
    _filtres,
    export_xlsx,
    feder,
    scdl,
    tableau,
)
