"""Writes of the applications: company accounts, drafts, deposit, instruction and decisions.

Every service checks its rules, writes in one transaction and schedules its side effects (emails
through the outbox, the receipt PDF) after commit."""

from aides.demandes.services.demande.depot import (  # noqa: F401
    ConflitDeVersion,
    DeclarationSaisie,
    LigneSaisie,
    _brouillon_creer,
    _contexte,
    _cree_par,
    _notifier_entreprise,
    _transition,
    _verifier_brouillon,
    _verifier_deposant,
    date_fr,
    demande_creer,
    demande_deposer,
    demande_enregistrer,
    destinataires_agents,
    erreurs_depot,
    numero_depot_generer,
    rattachement_verifie,
    verifier_ouvert,
)
from aides.demandes.services.demande.inscription import (  # noqa: F401
    SEL_VERIFICATION,
    VALIDITE_VERIFICATION,
    _etablissement_trouver_ou_creer,
    _verifier_sans_balise,
    _verrou_transaction,
    commune_trouver,
    compte_inscrire,
    email_verifier,
    lien_verification,
    siret_normaliser,
    siret_verifier,
    suite_valide,
    verification_envoyer,
)
from aides.demandes.services.demande.instruction import (  # noqa: F401
    JOURS_RAPPEL_COMPLEMENT,
    PLAFOND_DE_MINIMIS,
    _taux_depasse,
    _verrouiller,
    annotation_ajouter,
    complement_demander,
    complement_repondre,
    complements_rappeler,
    debut_periode_de_minimis,
    demande_assigner,
    demande_decider,
    instruction_commencer,
)
from aides.demandes.services.demande.pieces import (  # noqa: F401
    piece_ajouter,
    piece_supprimer,
    pieces_supprimer,
    quotas_verifier,
)
