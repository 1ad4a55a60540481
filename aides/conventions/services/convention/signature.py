from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from aides.conventions.models.convention import (
    ConventionAide,
    Etape,
    Signature,
    VersionConvention,
)
from aides.conventions.services.convention.circuit import (
    _etape,
    _verrouiller,
    date_fr,
    version_courante,
    versions_en_preparation_retirer,
)
from aides.conventions.services.convention.destinataires import (
    PERMISSION_SIGNATURE_REGION,
    _notifier,
    destinataires_entreprise,
    destinataires_saf,
    signataires_region,
)
from aides.demandes.models.espace import Membre
from portal.documents import document_deposer
from portal.double_facteur import reauthentifier
from portal.models import User
from portal.verification import FichierVerifie

# The kind of portal.Document a signed copy scanned by the company is (registered in AidesConfig.ready).
GENRE_SCAN = "aides.convention.scan"


def _version_a_signer(convention: ConventionAide, version_id: int) -> VersionConvention:
    courante = version_courante(convention)
    if courante is None or courante.pk != version_id:
        raise ValidationError(
            "Cette version de la convention a été remplacée par une version plus récente : relisez la "
            "nouvelle version avant de signer."
        )
    return courante


def signataire_entreprise(convention: ConventionAide, par: User, le: date | None = None):
    """The member who signs for the beneficiary company: verified, with a signing capacity valid
    that day (legal representative, or a delegation covering the day); else PermissionDenied."""

    membre = (
        None
        if par.is_staff
        else Membre.objects.filter(utilisateur=par, entreprise_id=convention.etablissement.entreprise_id).first()
    )
    if membre is None or not membre.est_verifie:
        raise PermissionDenied("Seul un membre vérifié de l'entreprise bénéficiaire signe pour elle.")
    le = le or timezone.localdate()
    if not membre.capacite_valide(le):
        if membre.capacite == Membre.Capacite.DELEGATAIRE:
            raise PermissionDenied(
                f"Votre délégation de signature ne couvre pas le {date_fr(le)} (du {date_fr(membre.delegation_debut)} "
                f"au {date_fr(membre.delegation_fin)}) : vous ne pouvez pas signer pour l'entreprise."
            )
        raise PermissionDenied(
            "Seul le représentant légal de l'entreprise, ou une personne ayant une délégation de signature en "
            "cours, signe la convention. L'administrateur du compte enregistre les capacités de signature."
        )
    return membre


@transaction.atomic
def convention_signer_beneficiaire(
    *,
    convention_id: int,
    par: User,
    version_id: int,
    mot_de_passe: str = "",
    adresse_ip: str | None = None,
    scan: FichierVerifie | None = None,
) -> Signature:
    """Simple electronic signature (password re-entered) or upload of the signed scan (a PDF)."""
    convention = _verrouiller(convention_id)
    membre = signataire_entreprise(convention, par)
    if convention.etape != Etape.ENVOYEE:
        raise ValidationError(
            f"La convention est « {convention.get_etape_display().lower()} » : elle n'attend pas votre signature."
        )
    if convention.date_caducite and timezone.localdate() > convention.date_caducite:
        # The daily job may not have run yet: the lapse date is the rule, not the job.
        raise ValidationError(
            f"Le délai de signature a expiré le {date_fr(convention.date_caducite)} : la convention est caduque. "
            "Contactez le service des aides de la Région."
        )
    version = _version_a_signer(convention, version_id)
    if scan is None and not par.check_password(mot_de_passe):
        raise ValidationError({"mot_de_passe": "Mot de passe incorrect : la convention n'est pas signée."})
    if scan is not None and scan.type_mime != "application/pdf":
        raise ValidationError({"scan": "L'exemplaire signé doit être un fichier PDF."})
    signature = Signature(
        convention=convention,
        version=version,
        partie=Signature.Partie.BENEFICIAIRE,
        mode=Signature.Mode.SCAN if scan else Signature.Mode.ELECTRONIQUE,
        signataire=par,
        qualite=membre.qualite,
        adresse_ip=adresse_ip,
        sha256_version=version.document.sha256,
    )
    if scan is not None:
        signature.scan = document_deposer(scan, genre=GENRE_SCAN, par=par)
    signature.full_clean()
    signature.save()
    versions_en_preparation_retirer(convention)
    _etape(convention, vers=Etape.SIGNEE_BENEFICIAIRE, par=par)
    _notifier(destinataires_saf(convention), "convention_signee", convention, signature=signature)
    # The convention now waits for the Région's signatory: tell them.
    _notifier(signataires_region(convention), "convention_a_signer_region", convention, signature=signature)
    return signature


def convention_signer_region(
    *,
    convention_id: int,
    par: User,
    version_id: int,
    mot_de_passe: str,
    code_otp: str,
    adresse_ip: str | None = None,
) -> Signature:
    """The Région countersigns: its signatory re-enters the password AND a code of their second factor.

    The re-authentication runs before (outside) the signature's transaction, so that a wrong code
    still counts against the device's throttling.
    """
    if not (par.is_active and par.is_staff and par.has_perm(PERMISSION_SIGNATURE_REGION)):
        raise PermissionDenied("La signature au nom de la Région est réservée aux agents habilités.")
    reauthentifier(par, mot_de_passe=mot_de_passe, code=code_otp, objet="la convention n'est pas signée")
    return _signer_region(convention_id=convention_id, par=par, version_id=version_id, adresse_ip=adresse_ip)


@transaction.atomic
def _signer_region(*, convention_id: int, par: User, version_id: int, adresse_ip: str | None) -> Signature:
    convention = _verrouiller(convention_id)
    if convention.etape != Etape.SIGNEE_BENEFICIAIRE:
        raise ValidationError(
            f"La convention est « {convention.get_etape_display().lower()} » : la Région signe après le bénéficiaire."
        )
    version = _version_a_signer(convention, version_id)
    beneficiaire = convention.signatures.get(partie=Signature.Partie.BENEFICIAIRE)
    if beneficiaire.version_id != version.pk:
        raise ValidationError("Le bénéficiaire a signé une autre version : la Région ne peut pas la contresigner.")
    signature = Signature(
        convention=convention,
        version=version,
        partie=Signature.Partie.REGION,
        mode=Signature.Mode.ELECTRONIQUE,
        signataire=par,
        adresse_ip=adresse_ip,
        sha256_version=version.document.sha256,
        second_facteur=True,
    )
    signature.full_clean()
    signature.save()
    _etape(convention, vers=Etape.SIGNEE_REGION, par=par)
    _notifier(destinataires_saf(convention), "convention_signee", convention, signature=signature)
    _notifier(destinataires_entreprise(convention), "convention_signee_region", convention, signature=signature)
    return signature
