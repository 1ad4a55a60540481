"""Payment requests, final report and repayments (issue 17): the company's pages in /espace/ and
SAF's in /agents/saf/. Views translate input and call aides.conventions.services.paiement; every URL with an id
goes through an access-checked getter (another company: 404; staff without the SAF role: 403 on
actions)."""

from aides.conventions.views.paiement.entreprise import (  # noqa: F401
    LIGNES_VIDES,
    _choix_lignes,
    _ecriture_autorisee,
    _formset,
    _page_versement,
    _preuve,
    _rapport_initial,
    demande_versement_de_l_entreprise,
    demande_versement_pour_saf,
    rapport,
    rapport_preuve,
    versement,
    versement_nouvelle,
    versement_piece,
    versement_piece_retirer,
    versement_repondre,
)
from aides.conventions.views.paiement.feder import (  # noqa: F401
    _operation,
    _page_operation,
    feder_appel_avancer,
    feder_appel_creer,
    feder_controle,
    feder_operation,
    feder_operations,
)
from aides.conventions.views.paiement.saf import (  # noqa: F401
    _page_rapport_saf,
    _page_remboursements,
    _page_saf,
    echeance_payee,
    export_versements,
    file_versements,
    rapport_preuve_saf,
    rapport_saf,
    remboursements,
    remboursements_generer,
    remboursements_importer,
    versement_accepter,
    versement_complement,
    versement_piece_saf,
    versement_refuser,
    versement_saf,
)
