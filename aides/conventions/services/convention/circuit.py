import hashlib
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from aides.catalogue.referentiels import Nature
from aides.conventions.actions import MACHINE_CONVENTION
from aides.conventions.models.convention import (
    ConventionAide,
    Etape,
    EtapeConvention,
    VersionConvention,
)
from aides.conventions.services.convention.destinataires import _notifier, destinataires_entreprise
from aides.demandes.models.demande import Demande, Statut
from crm.services import accompagnements_recalculer
from portal.fichiers import enregistrer_avec_fichier
from portal.models import User
from portal.roles import Role
from portal.templatetags.portail import format_euros
from portal.travaux import travail_demander
from territoires.models import ConventionTerritoriale, TypeConvention

ZERO = Decimal("0")


# The states the other actions start from (a new PDF version, a payment): the machine's.
ETAPES_REEDITABLES = MACHINE_CONVENTION.actions["editer"]
ETAPES_VERSEMENT = MACHINE_CONVENTION.actions["verser"]


ECHEANCIER_PAR_DEFAUT = [
    {"type": "avance", "pourcentage": 30, "condition": "à la notification de la convention"},
    {"type": "acompte", "pourcentage": 40, "condition": "sur justification de 50 % des dépenses"},
    {"type": "solde", "pourcentage": 30, "condition": "sur production du bilan final et de l'état récapitulatif"},
]


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


def _etape(convention: ConventionAide, *, vers: str, par: User | None, motif: str = "") -> EtapeConvention:
    de = convention.etape
    if vers not in MACHINE_CONVENTION.transitions[de]:
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
    accompagnements_recalculer(entreprise_id=convention.etablissement.entreprise_id)
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
    accompagnements_recalculer(entreprise_id=demande.etablissement.entreprise_id)
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
    travail_demander("aides.conventions.pdf.convention_pdf_generer", convention_id=convention.pk, par_id=par.pk)
    return convention


def version_courante(convention: ConventionAide) -> VersionConvention | None:
    return convention.versions.order_by("-numero").first()


@transaction.atomic
def version_enregistrer(*, convention_id: int, contenu: bytes, par_id: int | None) -> VersionConvention | None:
    """Store a rendered PDF as the next version; the first one moves the convention to « éditée ».

    A rendering asked while « envoyée » may finish after the beneficiary signed: stored, it would
    supersede the signed version and the Région could never countersign. Once anyone has signed, the
    document no longer changes: the late rendering is dropped (returns None)."""

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


@transaction.atomic
def convention_envoyer(*, convention_id: int, par: User) -> ConventionAide:
    convention = _verrouiller(convention_id)
    if convention.etape == Etape.EDITEE and version_courante(convention) is None:
        raise ValidationError("Le PDF de la convention n'est pas encore généré.")
    _etape(convention, vers=Etape.ENVOYEE, par=par)
    _notifier(destinataires_entreprise(convention), "convention_a_signer", convention)
    return convention


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


def nature_libelle(nature: str) -> str:
    try:
        return Nature(nature).label
    except ValueError:
        return nature


def date_fr(jour: date | None) -> str:
    return f"{jour:%d/%m/%Y}" if jour else ""
