from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
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
from portal.documents import document_demander, documents_supprimer
from portal.models import Document, User
from portal.roles import Role
from portal.templatetags.portail import format_euros
from territoires.models import ConventionTerritoriale, TypeConvention

ZERO = Decimal("0")
# The kind of portal.Document a convention's PDF is (registered in AidesConfig.ready).
GENRE_CONVENTION = "aides.convention"


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
    """Ask for a (new) PDF version; the Travail renders it after commit (`version_demander`)."""
    convention = _verrouiller(convention_id)
    if convention.etape not in ETAPES_REEDITABLES:
        raise ValidationError(
            f"La convention est « {convention.get_etape_display().lower()} » : elle ne peut plus être rééditée."
        )
    version_demander(convention_id=convention.pk, par=par)
    return convention


def version_courante(convention: ConventionAide) -> VersionConvention | None:
    """The last version whose PDF is ready: the one sent, signed, downloaded."""
    return (
        convention.versions.filter(document__statut=Document.Statut.PRET)
        .select_related("document")
        .order_by("-numero")
        .first()
    )


def version_en_preparation(convention: ConventionAide) -> VersionConvention | None:
    """The version asked for and not ready yet (waiting, being rendered, or failed), if any."""
    derniere = convention.versions.select_related("document").order_by("-numero").first()
    return derniere if derniere is not None and not derniere.document.pret else None


@transaction.atomic
def version_demander(*, convention_id: int, par: User | None) -> VersionConvention | None:
    """The next version: a portal.Document « en attente » of kind GENRE_CONVENTION, rendered after
    commit by the Travail (portal.documents.document_generer). Asked again while it is being prepared
    (a double click, a second tab), the same version: never a second job. A failed rendering was never
    a version: it is replaced under the same number. None once anyone has signed (the signed document
    no longer changes)."""
    convention = _verrouiller(convention_id)
    if convention.signatures.exists():
        return None
    derniere = convention.versions.select_related("document").order_by("-numero").first()
    if derniere is not None and derniere.document.en_preparation:
        return derniere
    if derniere is not None and derniere.document.statut == Document.Statut.ECHEC:
        documents_supprimer(Document.objects.filter(pk=derniere.document_id))
        derniere = version_courante(convention)
    document, _ = document_demander(genre=GENRE_CONVENTION, cle=f"convention:{convention.pk}", par=par)
    version = VersionConvention(
        convention=convention, numero=(derniere.numero + 1) if derniere else 1, document=document
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def version_stockee(document: Document) -> None:
    """Once a version's PDF is stored (the kind's `apres_stockage`, in the same transaction): the first
    one moves the convention to « éditée ». A version withdrawn while it was rendered (the company
    signed meanwhile: `versions_en_preparation_retirer`) is dropped, file and all."""
    version = VersionConvention.objects.filter(document=document).only("convention_id").first()
    if version is None:
        documents_supprimer(Document.objects.filter(pk=document.pk))
        return
    convention = _verrouiller(version.convention_id)
    if convention.etape == Etape.A_EDITER:
        _etape(convention, vers=Etape.EDITEE, par=document.demande_par)


def versions_en_preparation_retirer(convention: ConventionAide) -> int:
    """Under the convention's lock, when someone signs: a rendering asked while « envoyée » and finished
    after the signature would supersede the signed version, and the Région could never countersign."""
    return documents_supprimer(
        Document.objects.filter(version_convention__convention=convention).exclude(statut=Document.Statut.PRET)
    )


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
