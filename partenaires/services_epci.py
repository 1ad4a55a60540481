"""What an EPCI user may do on its territorial conventions, and its signature.

The EPCI signs in the conventions' one circuit (territoires.services): its signatory is recorded on
the convention with `convention_modifier` (history: who and when), then the Région, which also
needs its own signatory, declares the convention signed with `convention_changer_statut`. The EPCI
user re-enters their password and a code of their second factor, like the Région's signatory.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from portal.double_facteur import reauthentifier
from portal.models import User
from portal.services import notification_creer
from territoires import services as territoires_services
from territoires.models import ConventionTerritoriale

from .models import Adhesion

Statut = ConventionTerritoriale.Statut

SIGNER = "signer"


def actions_epci(convention: ConventionTerritoriale) -> set[str]:
    """The actions the EPCI may take on its convention now: sign a negotiated convention once, before
    the Région declares it signed (the step `convention_changer_statut` then allows)."""
    if (
        convention.statut == Statut.EN_NEGOCIATION
        and Statut.SIGNEE in territoires_services.TRANSITIONS[convention.statut]
        and not convention.signataire_epci
    ):
        return {SIGNER}
    return set()


def _verifier_membre(convention: ConventionTerritoriale, par: User) -> None:
    if not Adhesion.objects.filter(utilisateur=par, epci_id=convention.epci_id, utilisateur__is_active=True).exists():
        raise PermissionDenied("Seul un membre de l'EPCI signe ses conventions.")


def convention_signer_epci(*, convention_id: int, par: User, mot_de_passe: str, code: str) -> ConventionTerritoriale:
    """The EPCI signs: membership and state checked, then password and code (outside the
    transaction, so that a wrong code counts against the device's throttling), then recorded."""
    convention = ConventionTerritoriale.objects.get(pk=convention_id)
    _verifier_membre(convention, par)
    if SIGNER not in actions_epci(convention):
        raise ValidationError(_refus(convention))
    reauthentifier(par, mot_de_passe=mot_de_passe, code=code, objet="la convention n'est pas signée")
    return _signer(convention_id=convention_id, par=par)


def _refus(convention: ConventionTerritoriale) -> str:
    if convention.signataire_epci and convention.statut == Statut.EN_NEGOCIATION:
        return f"L'EPCI a déjà signé cette convention ({convention.signataire_epci}) : elle attend la Région."
    return f"La convention est « {convention.etat_libelle.lower()} » : elle n'attend pas la signature de l'EPCI."


@transaction.atomic
def _signer(*, convention_id: int, par: User) -> ConventionTerritoriale:
    convention = ConventionTerritoriale.objects.select_for_update().select_related("epci").get(pk=convention_id)
    if SIGNER not in actions_epci(convention):  # changed since the first check
        raise ValidationError(_refus(convention))
    signataire = par.get_full_name() or par.email
    if par.fonction:
        signataire = f"{signataire}, {par.fonction}"
    convention = territoires_services.convention_modifier(convention=convention, par=par, signataire_epci=signataire)
    for destinataire in territoires_services.convention_destinataires(convention):
        notification_creer(
            gabarit="partenaires_convention_signee_epci", destinataire=destinataire, contexte={"convention": convention}
        )
    return convention
