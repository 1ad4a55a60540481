"""Writes on aid conventions: creation and numbering, PDF versions, the signature circuit, payments.

Every step goes through `_etape`, which refuses any move not in MACHINE_CONVENTION's transition
table (`aides.conventions.actions`; no step is skipped) and appends a dated row to the step history;
the other actions (a new PDF version, a payment) start from the states the same machine names."""

from aides.conventions.services.convention.circuit import (  # noqa: F401
    ECHEANCIER_PAR_DEFAUT,
    ETAPES_REEDITABLES,
    ETAPES_VERSEMENT,
    GENRE_CONVENTION,
    ZERO,
    _etape,
    _verrouiller,
    convention_clore,
    convention_creer,
    convention_editer,
    convention_envoyer,
    convention_executer,
    convention_notifier,
    date_fr,
    nature_libelle,
    numero_convention_attribuer,
    version_courante,
    version_demander,
    version_en_preparation,
    version_stockee,
    versions_en_preparation_retirer,
)
from aides.conventions.services.convention.destinataires import (  # noqa: F401
    PERMISSION_SIGNATURE_REGION,
    _contexte,
    _notifier,
    destinataires_entreprise,
    destinataires_saf,
    prochain_signataire,
    signataires_region,
)
from aides.conventions.services.convention.signature import (  # noqa: F401
    _signer_region,
    _version_a_signer,
    convention_signer_beneficiaire,
    convention_signer_region,
    signataire_entreprise,
)
from aides.conventions.services.convention.suivi import (  # noqa: F401
    ETAPES_CADUCABLES,
    Digest,
    convention_rendre_caduque,
    conventions_a_rendre_caduques,
    conventions_caduques_marquer,
    digest_bloquees_envoyer,
    digests_bloquees,
)
from aides.conventions.services.convention.versements import (  # noqa: F401
    piece_versement_ajouter,
    reste_a_payer,
    versement_avancer,
    versement_creer,
)
