"""Writes on aid conventions: creation and numbering, PDF versions, the signature circuit, payments.

Every step goes through `_etape`, which refuses any move not in TRANSITIONS_CONVENTION (no step is
skipped) and appends a dated row to the step history.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.double_facteur import reauthentifier
from portal.fichiers import enregistrer_avec_fichier
from portal.models import User
from portal.periodes import jour_iso, periode_reclamer
from portal.roles import Role
from portal.services import notification_creer
from portal.templatetags.portail import format_euros
from portal.travaux import travail_demander
from portal.verification import FichierVerifie
from territoires.models import ConventionTerritoriale, TypeConvention

from .accompagnement import accompagnement_noter
from .models import (
    TRANSITIONS_CONVENTION,
    ConventionAide,
    Demande,
    Etape,
    EtapeConvention,
    OperationFeder,
    PieceVersement,
    Signature,
    Statut,
    Versement,
    VersionConvention,
)
from .referentiels import Nature

ZERO = Decimal("0")
PERMISSION_SIGNATURE_REGION = "aides.signer_convention_region"
ETAPES_REEDITABLES = {Etape.A_EDITER, Etape.EDITEE, Etape.ENVOYEE}
ETAPES_VERSEMENT = {Etape.NOTIFIEE, Etape.EN_EXECUTION}

ECHEANCIER_PAR_DEFAUT = [
    {"type": "avance", "pourcentage": 30, "condition": "à la notification de la convention"},
    {"type": "acompte", "pourcentage": 40, "condition": "sur justification de 50 % des dépenses"},
    {"type": "solde", "pourcentage": 30, "condition": "sur production du bilan final et de l'état récapitulatif"},
]


# --- Numbering ---------------------------------------------------------------------------------


def numero_convention_attribuer(*, annee: int, direction_id: int, code_direction: str) -> str:
    """2026-DAEN-00042: one atomic upsert on the (year, direction) counter row; two transactions
    asking at once queue on that row, so they never get the same number."""
    with connection.cursor() as curseur:
        curseur.execute(
            """
            INSERT INTO aides_compteurconvention (annee, direction_id, dernier) VALUES (%s, %s, 1)
            ON CONFLICT (annee, direction_id)
            DO UPDATE SET dernier = aides_compteurconvention.dernier + 1
            RETURNING dernier
            """,
            [annee, direction_id],
        )
        (dernier,) = curseur.fetchone()
    return f"{annee}-{code_direction}-{dernier:05d}"


# --- Creation ----------------------------------------------------------------------------------


def _etape(convention: ConventionAide, *, vers: str, par: User | None, motif: str = "") -> EtapeConvention:
    de = convention.etape
    if vers not in TRANSITIONS_CONVENTION[de]:
        raise ValidationError(
            f"La convention {convention.numero} est « {Etape(de).label.lower()} » : elle ne peut pas passer "
            f"à l'étape « {Etape(vers).label.lower()} »."
        )
    maintenant = timezone.now()
    etape = EtapeConvention(
        convention=convention,
        de=de,
        vers=vers,
        par=par,
        motif=motif,
        le=maintenant,
        duree_de=maintenant - convention.etape_depuis,
        direction_id=convention.direction_id,
        dispositif_id=convention.dispositif_id,
    )
    etape.save()
    convention.etape = vers
    convention.etape_depuis = maintenant
    convention.save(update_fields=["etape", "etape_depuis"])
    accompagnement_noter(convention.etablissement.entreprise_id)
    return etape


def _verrouiller(convention_id: int) -> ConventionAide:
    return (
        ConventionAide.objects.select_for_update(of=("self",))
        .select_related("etablissement__entreprise", "dispositif", "direction", "demande__demandeur")
        .get(pk=convention_id)
    )


@transaction.atomic
def convention_creer(
    *,
    demande_id: int,
    par: User,
    part_feder: Decimal = ZERO,
    part_epci: Decimal = ZERO,
    epci=None,
    objet: str = "",
    duree_mois: int = 36,
    echeancier: list[dict] | None = None,
) -> ConventionAide:
    """The convention of a granted application; the Région pays what FEDER and the EPCI do not."""
    demande = (
        Demande.objects.select_for_update(of=("self",))
        .select_related("dispositif__direction", "etablissement")
        .get(pk=demande_id)
    )
    if demande.statut != Statut.ACCORDEE:
        raise ValidationError("Seule une demande accordée donne lieu à une convention.")
    if ConventionAide.objects.filter(demande=demande).exists():
        raise ValidationError(f"La demande {demande.numero_depot} a déjà sa convention.")
    part_feder = part_feder or ZERO
    part_epci = part_epci or ZERO
    montant = demande.montant_accorde
    erreurs = {}
    if part_feder < 0:
        erreurs["part_feder"] = "La part FEDER ne peut pas être négative."
    if part_epci < 0:
        erreurs["part_epci"] = "La part EPCI ne peut pas être négative."
    if part_feder + part_epci > montant:
        erreurs["part_feder"] = (
            f"Les parts FEDER et EPCI ({format_euros(part_feder + part_epci)}) dépassent le montant accordé "
            f"({format_euros(montant)})."
        )
    if part_feder > 0 and not demande.dispositif.eligible_feder:
        erreurs["part_feder"] = "Ce dispositif n'est pas éligible au FEDER."
    if part_epci > 0 and epci is None:
        erreurs["epci"] = "Indiquez l'EPCI cofinanceur."
    elif part_epci > 0 and not (
        ConventionTerritoriale.objects.en_vigueur().filter(epci=epci, type=TypeConvention.AIDES).exists()
    ):
        # Only a convention « aides aux entreprises » in force lets an EPCI fund a company with the Région.
        erreurs["epci"] = (
            f"{epci.nom} n'a aucune convention « Aides aux entreprises » en vigueur avec la Région : il ne peut "
            "pas cofinancer cette aide. Mettez la part EPCI à zéro ou attendez la signature de la convention."
        )
    if erreurs:
        raise ValidationError(erreurs)
    direction = demande.dispositif.direction
    maintenant = timezone.now()
    annee = timezone.localdate(maintenant).year
    date_decision = demande.date_commission or timezone.localdate(maintenant)
    convention = ConventionAide(
        numero=numero_convention_attribuer(annee=annee, direction_id=direction.pk, code_direction=direction.code),
        annee=annee,
        direction=direction,
        demande=demande,
        dispositif=demande.dispositif,
        etablissement=demande.etablissement,
        objet=(objet or demande.intitule or demande.projet or demande.dispositif.nom)[:2000],
        nature=demande.dispositif.nature,
        montant=montant,
        part_region=montant - part_feder - part_epci,
        part_feder=part_feder,
        part_epci=part_epci,
        epci=epci if part_epci > 0 else None,
        echeancier=echeancier if echeancier is not None else ECHEANCIER_PAR_DEFAUT,
        duree_mois=duree_mois,
        # Not signed and returned within a year of the decision, the aid lapses.
        date_caducite=date_decision + timedelta(days=365),
        date_decision=date_decision,
        reference_decision=demande.numero_deliberation,
        etape=Etape.A_EDITER,
        etape_depuis=maintenant,
        gestionnaire=par if par.a_role(Role.GESTIONNAIRE_SAF) else None,
    )
    convention.full_clean()
    convention.save()
    accompagnement_noter(demande.etablissement.entreprise_id)
    EtapeConvention(
        convention=convention,
        de="",
        vers=Etape.A_EDITER,
        par=par,
        le=maintenant,
        direction_id=convention.direction_id,
        dispositif_id=convention.dispositif_id,
    ).save()
    return convention


# --- PDF versions ------------------------------------------------------------------------------


@transaction.atomic
def convention_editer(*, convention_id: int, par: User) -> ConventionAide:
    """Ask for a (new) PDF version; the Celery task renders it after commit."""
    convention = _verrouiller(convention_id)
    if convention.etape not in ETAPES_REEDITABLES:
        raise ValidationError(
            f"La convention est « {convention.get_etape_display().lower()} » : elle ne peut plus être rééditée."
        )
    convention.pdf_demande_le = timezone.now()
    convention.save(update_fields=["pdf_demande_le"])
    travail_demander("aides.pdf_convention.convention_pdf_generer", convention_id=convention.pk, par_id=par.pk)
    return convention


def version_courante(convention: ConventionAide) -> VersionConvention | None:
    return convention.versions.order_by("-numero").first()


@transaction.atomic
def version_enregistrer(*, convention_id: int, contenu: bytes, par_id: int | None) -> VersionConvention | None:
    """Store a rendered PDF as the next version; the first one moves the convention to « éditée ».

    A rendering asked while « envoyée » may finish after the beneficiary signed: stored, it would
    supersede the signed version and the Région could never countersign. Once anyone has signed, the
    document no longer changes: the late rendering is dropped (returns None)."""
    import hashlib

    from django.core.files.base import ContentFile

    convention = _verrouiller(convention_id)
    if convention.signatures.exists():
        if convention.pdf_demande_le is not None:
            convention.pdf_demande_le = None
            convention.save(update_fields=["pdf_demande_le"])
        return None
    derniere = version_courante(convention)
    version = VersionConvention(
        convention=convention,
        numero=(derniere.numero + 1) if derniere else 1,
        sha256=hashlib.sha256(contenu).hexdigest(),
        taille=len(contenu),
    )
    enregistrer_avec_fichier(version, nom=f"{convention.numero}-v{version.numero}.pdf", contenu=ContentFile(contenu))
    if convention.pdf_demande_le is not None:
        convention.pdf_demande_le = None
        convention.save(update_fields=["pdf_demande_le"])
    if convention.etape == Etape.A_EDITER:
        _etape(convention, vers=Etape.EDITEE, par=User.objects.filter(pk=par_id).first() if par_id else None)
    return version


# --- Signature circuit -------------------------------------------------------------------------


def _contexte(convention: ConventionAide, **extra) -> dict:
    return {
        "convention": convention,
        "lien_espace": reverse("espace:convention", args=[convention.pk]),
        "lien_saf": reverse("aides_saf:convention", args=[convention.pk]),
        **extra,
    }


def destinataires_entreprise(convention: ConventionAide) -> list[User]:
    """Every verified member of the beneficiary company, at least the applicant: the one place that
    says who, on the company's side, hears about its convention."""
    utilisateurs = list(
        User.objects.filter(
            adhesions__entreprise_id=convention.etablissement.entreprise_id,
            adhesions__statut="verifie",
            adhesions__email_verifie_le__isnull=False,
            is_active=True,
        ).distinct()
    )
    demandeur = convention.demande.demandeur
    if demandeur not in utilisateurs:
        utilisateurs.append(demandeur)
    return utilisateurs


def signataires_region(convention: ConventionAide) -> list[User]:
    """The agents allowed to sign for the Région (permission aides.signer_convention_region), those of
    the convention's direction first; all of them when none is of that direction."""
    app, code = PERMISSION_SIGNATURE_REGION.split(".")
    habilites = (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename=code, groups__permissions__content_type__app_label=app)
            | Q(user_permissions__codename=code, user_permissions__content_type__app_label=app)
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    habilites = [u for u in habilites if not u.is_superuser or u.direction_id]  # not the technical admin
    de_la_direction = [u for u in habilites if u.direction_id == convention.direction_id]
    return de_la_direction or habilites


def prochain_signataire(convention: ConventionAide) -> tuple[str, list[User]] | None:
    """Who signs next in the circuit: (« le bénéficiaire » | « la Région », the people); None when no
    signature is awaited."""
    if convention.etape == Etape.ENVOYEE:
        return "le bénéficiaire", destinataires_entreprise(convention)
    if convention.etape == Etape.SIGNEE_BENEFICIAIRE:
        return "la Région", signataires_region(convention)
    return None


def destinataires_saf(convention: ConventionAide) -> list[User]:
    """The convention's SAF manager, else the SAF managers of its direction."""
    if convention.gestionnaire_id and convention.gestionnaire.is_active:
        return [convention.gestionnaire]
    return list(
        User.objects.agents()
        .filter(groups__name=Role.GESTIONNAIRE_SAF.value, direction_id=convention.direction_id)
        .distinct()
    )


def _notifier(destinataires, gabarit: str, convention: ConventionAide, **extra) -> None:
    for destinataire in destinataires:
        notification_creer(gabarit=gabarit, destinataire=destinataire, contexte=_contexte(convention, **extra))


@transaction.atomic
def convention_envoyer(*, convention_id: int, par: User) -> ConventionAide:
    convention = _verrouiller(convention_id)
    if convention.etape == Etape.EDITEE and version_courante(convention) is None:
        raise ValidationError("Le PDF de la convention n'est pas encore généré.")
    _etape(convention, vers=Etape.ENVOYEE, par=par)
    _notifier(destinataires_entreprise(convention), "convention_a_signer", convention)
    return convention


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
    from .models import Membre

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
        sha256_version=version.sha256,
    )
    if scan is not None:
        signature.scan.save(scan.nom_original, scan.fichier, save=False)
        signature.scan_sha256 = scan.sha256
    signature.full_clean()
    signature.save()
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
        sha256_version=version.sha256,
        second_facteur=True,
    )
    signature.full_clean()
    signature.save()
    _etape(convention, vers=Etape.SIGNEE_REGION, par=par)
    _notifier(destinataires_saf(convention), "convention_signee", convention, signature=signature)
    _notifier(destinataires_entreprise(convention), "convention_signee_region", convention, signature=signature)
    return signature


@transaction.atomic
def convention_notifier(*, convention_id: int, par: User) -> ConventionAide:
    convention = _verrouiller(convention_id)
    _etape(convention, vers=Etape.NOTIFIEE, par=par)
    _notifier(destinataires_entreprise(convention), "convention_notifiee", convention)
    return convention


@transaction.atomic
def convention_executer(*, convention_id: int, par: User) -> ConventionAide:
    convention = _verrouiller(convention_id)
    _etape(convention, vers=Etape.EN_EXECUTION, par=par)
    return convention


@transaction.atomic
def convention_clore(*, convention_id: int, par: User, vers: str, motif: str) -> ConventionAide:
    """Lapse (caduque) or termination (résiliée), always motivated."""
    if vers not in {Etape.CADUQUE, Etape.RESILIEE}:
        raise ValidationError("Choisissez caduque ou résiliée.")
    if not motif.strip():
        raise ValidationError({"motif": "Motivez la clôture : le motif est communiqué au bénéficiaire."})
    convention = _verrouiller(convention_id)
    _etape(convention, vers=vers, par=par, motif=motif.strip())
    _notifier(destinataires_entreprise(convention), "convention_notifiee", convention, motif=motif.strip())
    return convention


# Not (fully) signed yet, or signed and notified but no payment asked for: past its lapse date the aid
# lapses (article « Caducité » of the PDF). Signed by the Région but not notified yet is the Région's own
# delay: it stays for the SAF to handle (the digest lists it as stalled).
ETAPES_CADUCABLES = {Etape.A_EDITER, Etape.EDITEE, Etape.ENVOYEE, Etape.SIGNEE_BENEFICIAIRE, Etape.NOTIFIEE}


def conventions_a_rendre_caduques(aujourd_hui: date):
    return ConventionAide.objects.filter(etape__in=ETAPES_CADUCABLES, date_caducite__lt=aujourd_hui)


@transaction.atomic
def convention_rendre_caduque(*, convention_id: int, aujourd_hui: date) -> bool:
    """Lapse one convention whose lapse date has passed. Safe twice: the row is locked and re-checked,
    so a convention signed (or already lapsed) meanwhile is left alone; returns whether it lapsed."""
    convention = _verrouiller(convention_id)
    if (
        convention.etape not in ETAPES_CADUCABLES
        or convention.date_caducite is None
        or convention.date_caducite >= aujourd_hui
    ):
        return False
    if convention.etape == Etape.NOTIFIEE:
        motif = f"Aucun versement demandé avant la date de caducité du {date_fr(convention.date_caducite)}."
    else:
        motif = f"Convention non signée à la date de caducité du {date_fr(convention.date_caducite)}."
    _etape(convention, vers=Etape.CADUQUE, par=None, motif=motif)
    _notifier(destinataires_saf(convention), "convention_caduque", convention, motif=motif)
    _notifier(destinataires_entreprise(convention), "convention_notifiee", convention, motif=motif)
    return True


def conventions_caduques_marquer(*, aujourd_hui: date | None = None) -> int:
    """Daily job: every convention past its lapse date becomes « caduque », once, each in its own
    transaction (one failure does not roll back the others); returns how many lapsed."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    ids = list(conventions_a_rendre_caduques(aujourd_hui).order_by("pk").values_list("pk", flat=True))
    return sum(convention_rendre_caduque(convention_id=pk, aujourd_hui=aujourd_hui) for pk in ids)


# --- Payments ----------------------------------------------------------------------------------


@transaction.atomic
def versement_creer(
    *,
    convention_id: int,
    par: User,
    type: str,
    montant: Decimal,
    commentaire: str = "",
    pieces: list[FichierVerifie] | None = None,
) -> Versement:
    """Record a payment request. The row lock serialises two payments on one convention; the trigger
    that keeps `total_versements` and its CHECK guarantee the ceiling even if a caller bypassed this service."""
    convention = _verrouiller(convention_id)
    if convention.etape not in ETAPES_VERSEMENT:
        raise ValidationError(
            f"La convention est « {convention.get_etape_display().lower()} » : aucun versement n'est possible."
        )
    if type not in Versement.Type.values:
        raise ValidationError({"type": "Choisissez avance, acompte ou solde."})
    if montant is None or montant <= 0:
        raise ValidationError({"montant": "Indiquez un montant positif."})
    if convention.versements.filter(type=Versement.Type.SOLDE).exists():
        raise ValidationError("Le solde est déjà enregistré : aucun autre versement n'est possible.")
    reste = convention.montant - convention.total_versements
    if montant > reste:
        raise ValidationError(
            {
                "montant": (
                    f"Ce versement ({format_euros(montant)}) dépasserait le montant accordé : il reste "
                    f"{format_euros(reste)} à verser sur {format_euros(convention.montant)}."
                )
            }
        )
    versement = Versement(
        convention=convention,
        type=type,
        montant=montant,
        par=par,
        commentaire=commentaire,
        double_controle=montant > Decimal(str(settings.VERSEMENT_SEUIL_DOUBLE_CONTROLE)),
    )
    versement.full_clean()
    versement.save()  # a PostgreSQL trigger adds it to the convention's total_versements (CHECK ≤ montant)
    for piece in pieces or []:
        piece_versement_ajouter(versement=versement, verifie=piece, par=par)
    if convention.etape == Etape.NOTIFIEE:
        _etape(convention, vers=Etape.EN_EXECUTION, par=par, motif="Premier versement demandé.")
    return versement


def piece_versement_ajouter(*, versement: Versement, verifie: FichierVerifie, par: User) -> PieceVersement:
    piece = PieceVersement(
        versement=versement,
        nom_original=verifie.nom_original,
        taille=verifie.taille,
        type_mime=verifie.type_mime,
        sha256=verifie.sha256,
        depose_par=par,
    )
    enregistrer_avec_fichier(piece, nom=verifie.nom_original, contenu=verifie.fichier)
    return piece


@transaction.atomic
def versement_avancer(*, versement_id: int, par: User) -> Versement:
    """demandé → contrôlé → mandaté → payé; the paid solde closes the convention (soldée)."""
    versement = Versement.objects.select_for_update().get(pk=versement_id)
    convention = _verrouiller(versement.convention_id)
    suivant = Versement.SUIVANT.get(versement.etat)
    if suivant is None:
        raise ValidationError("Ce versement est déjà payé.")
    if (
        suivant == Versement.Etat.PAYE
        and versement.type == Versement.Type.SOLDE
        and convention.versements.exclude(pk=versement.pk).exclude(etat=Versement.Etat.PAYE).exists()
    ):
        raise ValidationError("Des versements antérieurs ne sont pas encore payés : payez-les avant le solde.")
    if suivant == Versement.Etat.MANDATE and versement.double_controle and versement.controle_par_id == par.pk:
        raise ValidationError(
            f"Ce versement de {format_euros(versement.montant)} dépasse "
            f"{format_euros(Decimal(str(settings.VERSEMENT_SEUIL_DOUBLE_CONTROLE)))} : il doit être mandaté par "
            "un autre agent que celui qui l'a contrôlé."
        )
    maintenant = timezone.now()
    champ = {
        Versement.Etat.CONTROLE: "controle_le",
        Versement.Etat.MANDATE: "mandate_le",
        Versement.Etat.PAYE: "paye_le",
    }[suivant]
    setattr(versement, champ, maintenant)
    versement.etat = suivant
    champs = ["etat", champ]
    if suivant == Versement.Etat.CONTROLE:
        versement.controle_par = par
        champs.append("controle_par")
    elif suivant == Versement.Etat.MANDATE:
        versement.mandate_par = par
        champs.append("mandate_par")
    versement.save(update_fields=champs)
    if suivant == Versement.Etat.PAYE:
        OperationFeder.objects.filter(convention=convention).update(dernier_paiement_le=timezone.localdate(maintenant))
        accompagnement_noter(convention.etablissement.entreprise_id)
        from .services_paiement import versement_paye_notifier  # issue 17: the company is told

        versement_paye_notifier(versement)
        if versement.type == Versement.Type.SOLDE:
            _etape(convention, vers=Etape.SOLDEE, par=par, motif="Solde payé.")
    return versement


def reste_a_payer(convention: ConventionAide, paye: Decimal) -> Decimal:
    return convention.montant - paye


# --- Stalled conventions ----------------------------------------------------------------------


@dataclass
class Digest:
    destinataire: User
    conventions: list[ConventionAide]


def digests_bloquees(*, jours: int, maintenant=None) -> list[Digest]:
    """For each active SAF manager, the stalled conventions of their direction (all if none)."""
    bloquees = list(
        ConventionAide.objects.bloquees(jours, maintenant)
        .select_related("etablissement__entreprise", "dispositif", "direction")
        .order_by("etape_depuis")
    )
    digests = []
    gestionnaires = User.objects.agents().filter(groups__name=Role.GESTIONNAIRE_SAF.value).distinct()
    for gestionnaire in gestionnaires:
        les_siennes = [
            c
            for c in bloquees
            if c.gestionnaire_id == gestionnaire.pk
            or (c.gestionnaire_id is None and gestionnaire.direction_id in (None, c.direction_id))
        ]
        if les_siennes:
            digests.append(Digest(gestionnaire, les_siennes))
    return digests


@transaction.atomic
def digest_bloquees_envoyer(*, jours: int, maintenant=None) -> int:
    """One email per SAF manager with stalled conventions, once a day whatever runs it (the day is
    claimed in the same transaction); returns how many were written."""
    maintenant = maintenant or timezone.now()
    if not periode_reclamer("saf_digest_bloquees", jour_iso(timezone.localdate(maintenant))):
        return 0
    envoyes = 0
    for digest in digests_bloquees(jours=jours, maintenant=maintenant):
        notification_creer(
            gabarit="convention_bloquees",
            destinataire=digest.destinataire,
            contexte={
                "conventions": [(c, c.age_etape_jours(maintenant)) for c in digest.conventions],
                "jours": jours,
                "lien": reverse("aides_saf:tableau") + "?bloquees=1",
            },
        )
        envoyes += 1
    return envoyes


def nature_libelle(nature: str) -> str:
    try:
        return Nature(nature).label
    except ValueError:
        return nature


def date_fr(jour: date | None) -> str:
    return f"{jour:%d/%m/%Y}" if jour else ""
