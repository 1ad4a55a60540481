"""What a user may do with an aid convention, its payments, its company's payment requests, its final
report and its FEDER claims, in their current state: the transition tables, written once.

The services check their moves against these machines; views and templates ask `actions_*` (or the
`{% actions objet as a %}` tag) and never compare a state to a string.
"""

from aides.conventions.models.convention import TRANSITIONS_CONVENTION, ConventionAide, Etape
from aides.conventions.models.feder import AppelDeFonds
from aides.conventions.models.paiement import DemandeVersement, RapportFinal
from aides.conventions.models.versement import Versement
from portal.permissions import peut
from portal.transitions import Machine, depuis, table

PERMISSION_SIGNATURE_REGION = "aides.signer_convention_region"

# --- The convention's signature circuit ------------------------------------------------------------

_TRANSITIONS = table(TRANSITIONS_CONVENTION)
MACHINE_CONVENTION = Machine(
    nom="La convention",
    libelles=dict(Etape.choices),
    transitions=_TRANSITIONS,
    actions={
        # Until the company signs, the SAF may issue a new PDF version (the one sent is replaced).
        "editer": frozenset({Etape.A_EDITER, Etape.EDITEE, Etape.ENVOYEE}),
        "envoyer": depuis(_TRANSITIONS, Etape.ENVOYEE),
        "signer_beneficiaire": depuis(_TRANSITIONS, Etape.SIGNEE_BENEFICIAIRE),
        "signer_region": depuis(_TRANSITIONS, Etape.SIGNEE_REGION),
        "notifier": depuis(_TRANSITIONS, Etape.NOTIFIEE),
        "executer": depuis(_TRANSITIONS, Etape.EN_EXECUTION),
        # A payment is recorded (by the SAF) or asked for (by the company) once notified, until the balance.
        "verser": frozenset({Etape.NOTIFIEE, Etape.EN_EXECUTION}),
        "clore": depuis(_TRANSITIONS, Etape.CADUQUE, Etape.RESILIEE),
    },
)

ACTIONS_SAF = {"editer", "envoyer", "notifier", "executer", "verser", "clore"}


def peut_demander(membre) -> bool:
    """A verified company member who is not a reader asks for payments and writes the final report."""
    return membre is not None and membre.est_verifie and membre.role != membre.Role.LECTEUR


def actions_convention(user, convention: ConventionAide, *, membre=None) -> set[str]:
    """For an agent (`membre` None): the SAF's moves, the Région's signature. For a company member:
    signing and asking for a payment."""
    possibles = MACHINE_CONVENTION.actions_de(convention.etape)
    if membre is not None:
        permises = set()
        if membre.capacite_valide():
            permises.add("signer_beneficiaire")
        if peut_demander(membre):
            permises.add("verser")
        return possibles & permises
    permises = set(ACTIONS_SAF) if peut(user, "convention", "gerer") else set()
    if user.has_perm(PERMISSION_SIGNATURE_REGION):
        permises.add("signer_region")
    return possibles & permises


# --- A payment recorded by the SAF ------------------------------------------------------------------

MACHINE_VERSEMENT = Machine(
    nom="Le versement",
    libelles=dict(Versement.Etat.choices),
    transitions=table({de: {vers} for de, vers in Versement.SUIVANT.items()}),
    actions={"avancer": frozenset(Versement.SUIVANT)},
)


def actions_versement(user, versement: Versement) -> set[str]:
    if not peut(user, "convention", "gerer"):
        return set()
    return MACHINE_VERSEMENT.actions_de(versement.etat)


# --- The company's payment request ------------------------------------------------------------------

EtatDV = DemandeVersement.Etat
_TRANSITIONS_DV = table(
    {
        EtatDV.BROUILLON: {EtatDV.DEPOSEE},
        EtatDV.DEPOSEE: {EtatDV.ACCEPTEE, EtatDV.COMPLEMENT, EtatDV.REFUSEE},
        EtatDV.COMPLEMENT: {EtatDV.DEPOSEE, EtatDV.REFUSEE},
        EtatDV.ACCEPTEE: set(),
        EtatDV.REFUSEE: set(),
    }
)
MACHINE_DEMANDE_VERSEMENT = Machine(
    nom="La demande de versement",
    libelles=dict(EtatDV.choices),
    transitions=_TRANSITIONS_DV,
    actions={
        # The company edits and (re-)deposits a draft or a request sent back for a complement.
        "modifier": depuis(_TRANSITIONS_DV, EtatDV.DEPOSEE),
        "deposer": depuis(_TRANSITIONS_DV, EtatDV.DEPOSEE),
        "repondre": frozenset({EtatDV.COMPLEMENT}),
        "accepter": depuis(_TRANSITIONS_DV, EtatDV.ACCEPTEE),
        "demander_complement": depuis(_TRANSITIONS_DV, EtatDV.COMPLEMENT),
        "refuser": depuis(_TRANSITIONS_DV, EtatDV.REFUSEE),
    },
)
ACTIONS_DV_ENTREPRISE = {"modifier", "deposer", "repondre"}
ACTIONS_DV_SAF = {"accepter", "demander_complement", "refuser"}


def actions_demande_versement(user, demande: DemandeVersement, *, membre=None) -> set[str]:
    possibles = MACHINE_DEMANDE_VERSEMENT.actions_de(demande.etat)
    if membre is not None:
        return possibles & ACTIONS_DV_ENTREPRISE if peut_demander(membre) else set()
    return possibles & ACTIONS_DV_SAF if peut(user, "convention", "gerer") else set()


# --- The final report -------------------------------------------------------------------------------

EtatRF = RapportFinal.Etat
_TRANSITIONS_RF = table(
    {
        EtatRF.BROUILLON: {EtatRF.DEPOSE},
        EtatRF.A_CORRIGER: {EtatRF.DEPOSE},
        EtatRF.DEPOSE: {EtatRF.VALIDE, EtatRF.A_CORRIGER},
        EtatRF.VALIDE: set(),
    }
)
MACHINE_RAPPORT = Machine(
    nom="Le rapport final",
    libelles=dict(EtatRF.choices),
    transitions=_TRANSITIONS_RF,
    actions={
        "modifier": depuis(_TRANSITIONS_RF, EtatRF.DEPOSE),
        "deposer": depuis(_TRANSITIONS_RF, EtatRF.DEPOSE),
        "decider": depuis(_TRANSITIONS_RF, EtatRF.VALIDE),
        # Once deposed, the SAF (and the payment page) may open it.
        "consulter": frozenset(set(EtatRF) - {EtatRF.BROUILLON}),
    },
)


def actions_rapport(user, rapport: RapportFinal, *, membre=None) -> set[str]:
    possibles = MACHINE_RAPPORT.actions_de(rapport.etat)
    if membre is not None:
        return possibles & {"modifier", "deposer", "consulter"} if peut_demander(membre) else possibles & {"consulter"}
    permises = {"consulter"} | ({"decider"} if peut(user, "convention", "gerer") else set())
    return possibles & permises


# --- A FEDER payment claim --------------------------------------------------------------------------

EtatAF = AppelDeFonds.Etat
MACHINE_APPEL = Machine(
    nom="L'appel de fonds",
    libelles=dict(EtatAF.choices),
    transitions=table(
        {de: {vers, EtatAF.REJETE} for de, vers in AppelDeFonds.SUIVANT.items()}
        | {EtatAF.PAYE: set(), EtatAF.REJETE: set()}
    ),
    actions={"avancer": frozenset(AppelDeFonds.SUIVANT), "rejeter": frozenset(AppelDeFonds.SUIVANT)},
)


def actions_appel(user, appel: AppelDeFonds) -> set[str]:
    if not peut(user, "convention", "gerer"):
        return set()
    return MACHINE_APPEL.actions_de(appel.etat)
