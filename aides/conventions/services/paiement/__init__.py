"""Writes of the beneficiary's side of the money (issue 17): payment requests, SAF decisions, the
final report, repayment schedules and their reminders.

Every state change of a DemandeVersement, RapportFinal or EcheanceRemboursement goes through this
module. Locks: the convention row first (`_verrouiller`), then the request; so two deposits on one
convention, or two agents deciding the same request, queue and the second sees the first's effect.
Amounts are Decimal, rounded to the cent (half up); the payable amount is computed, never typed."""

from aides.conventions.services.paiement.calculs import (  # noqa: F401
    CENT,
    NATURES_REMBOURSABLES,
    ZERO,
    Calcul,
    Etat,
    Situation,
    Tranche,
    _decimal,
    au_cent,
    calculer,
    depenses_eligibles,
    montant_en_attente,
    periode_convention,
    prochaine_action,
    situation,
    taux_aide,
    total_paye,
    tranches,
)
from aides.conventions.services.paiement.demandes import (  # noqa: F401
    _deja_decidee,
    _demande_verrouillee,
    _notifier_entreprise,
    _peut_demander,
    demande_versement_accepter,
    demande_versement_complement,
    demande_versement_creer,
    demande_versement_deposer,
    demande_versement_enregistrer,
    demande_versement_refuser,
    demande_versement_repondre,
    piece_ajouter,
    piece_retirer,
    versement_paye_notifier,
)
from aides.conventions.services.paiement.feder import (  # noqa: F401
    appel_de_fonds_avancer,
    appel_de_fonds_creer,
    controle_feder_enregistrer,
    preuve_publicite_enregistrer,
    preuve_publicite_supprimer,
)
from aides.conventions.services.paiement.rapports import _rapport, rapport_decider, rapport_deposer, rapport_enregistrer  # noqa: F401
from aides.conventions.services.paiement.remboursements import (  # noqa: F401
    echeance_payer,
    echeances_calculer,
    echeancier_remboursement_generer,
    encours_par_convention,
    rappels_remboursement_envoyer,
    remboursements_importer,
)
