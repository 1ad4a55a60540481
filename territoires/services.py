"""Writes on conventions, assignments and deadlines, and the periodic alerts."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from portal.documents import document_deposer
from portal.models import Direction, User
from portal.periodes import periode_reclamer, semaine_iso
from portal.roles import Role
from portal.services import notification_creer
from portal.verification import PDF_SEUL, fichier_verifier

from .actions import MACHINE_CONVENTION_EPCI
from .models import (
    EPCI,
    Affectation,
    AlerteConvention,
    ConventionTerritoriale,
    EcheanceConventionnement,
    EngagementAnnuel,
    PieceConvention,
)

# The kind of portal.Document of an EPCI convention's PDF (registered in TerritoiresConfig.ready).
GENRE_PIECE_CONVENTION = "territoires.piece_convention"

Statut = ConventionTerritoriale.Statut

# Days before the end of a convention at which its chargés de mission and pilotage are told.
SEUILS_ALERTE = (90, 30, 7)

# Manual steps (territoires.actions); « en vigueur » and « expirée » follow the dates.
TRANSITIONS = MACHINE_CONVENTION_EPCI.transitions

CHAMPS_MODIFIABLES = (
    "type",
    "intitule",
    "date_debut",
    "date_fin",
    "signataire_region",
    "signataire_epci",
    "notes",
)

# The exclusion constraint's own French message, for the overlap the database catches under concurrency.
MESSAGE_CHEVAUCHEMENT = next(
    c.violation_error_message
    for c in ConventionTerritoriale._meta.constraints
    if c.name == "convention_sans_chevauchement"
)


def _enregistrer(convention: ConventionTerritoriale, par: User | None) -> ConventionTerritoriale:
    """full_clean then save; a concurrent overlap caught by the database becomes the same French error."""
    convention.full_clean()
    convention._history_user = par
    try:
        with transaction.atomic():
            convention.save()
    except IntegrityError as erreur:
        if "convention_sans_chevauchement" in str(erreur):
            raise ValidationError(MESSAGE_CHEVAUCHEMENT, code="chevauchement") from erreur
        raise
    return convention


@transaction.atomic
def convention_creer(*, epci: EPCI, par: User | None, **champs) -> ConventionTerritoriale:
    inconnus = set(champs) - set(CHAMPS_MODIFIABLES) - {"demo"}
    if inconnus:
        raise TypeError(f"Champs non modifiables : {', '.join(sorted(inconnus))}")
    convention = ConventionTerritoriale(epci=epci, statut=Statut.PROJET, **champs)
    return _enregistrer(convention, par)


@transaction.atomic
def convention_modifier(*, convention: ConventionTerritoriale, par: User | None, **champs) -> ConventionTerritoriale:
    for nom, valeur in champs.items():
        if nom not in CHAMPS_MODIFIABLES:
            raise TypeError(f"Champ non modifiable : {nom}")
        setattr(convention, nom, valeur)
    return _enregistrer(convention, par)


@transaction.atomic
def convention_changer_statut(
    *,
    convention: ConventionTerritoriale,
    statut: str,
    par: User | None,
    le: date | None = None,
    motif: str = "",
) -> ConventionTerritoriale:
    """Move a convention to a manual step: négociation, signature, résiliation (with its motive)."""
    if statut not in TRANSITIONS.get(convention.statut, ()):
        raise ValidationError(
            "Une convention « %(de)s » ne peut pas passer à « %(vers)s ».",
            code="transition",
            params={
                "de": convention.get_statut_display(),
                "vers": Statut(statut).label if statut in Statut else statut,
            },
        )
    le = le or timezone.localdate()
    if statut == Statut.SIGNEE:
        if not (convention.signataire_region and convention.signataire_epci):
            raise ValidationError(
                "Indiquez les signataires pour la Région et pour l'EPCI avant de déclarer la convention signée.",
                code="signataires",
            )
        convention.signee_le = le
    if statut == Statut.RESILIEE:
        if not motif.strip():
            raise ValidationError("Indiquez le motif de la résiliation.", code="motif")
        convention.resiliee_le = le
        convention.motif_resiliation = motif.strip()
    convention.statut = statut
    return _enregistrer(convention, par)


@transaction.atomic
def piece_ajouter(
    *, convention: ConventionTerritoriale, fichier: UploadedFile, par: User | None, description: str = ""
) -> PieceConvention:
    verifie = fichier_verifier(fichier, formats=PDF_SEUL)
    piece = PieceConvention(
        convention=convention,
        nom_original=verifie.nom_original,
        description=description.strip(),
        taille=verifie.taille,
        sha256=verifie.sha256,
        ajoutee_par=par,
    )
    piece.full_clean(exclude=["document"])  # a refused row stores no file
    piece.document = document_deposer(verifie, genre=GENRE_PIECE_CONVENTION, par=par)
    piece.full_clean()
    piece.save()
    return piece


@transaction.atomic
def engagement_enregistrer(
    *, convention: ConventionTerritoriale, annee: int, montant_region: Decimal, montant_epci: Decimal, par: User | None
) -> EngagementAnnuel:
    """Set the amounts committed for one year of the convention (creates or replaces that year)."""
    if not convention.date_debut.year <= annee <= convention.date_fin.year:
        raise ValidationError(
            "L'année %(annee)s est hors de la validité de la convention (%(debut)s à %(fin)s).",
            code="annee",
            params={"annee": annee, "debut": convention.date_debut.year, "fin": convention.date_fin.year},
        )
    engagement = EngagementAnnuel.objects.filter(convention=convention, annee=annee).first()
    engagement = engagement or EngagementAnnuel(convention=convention, annee=annee)
    engagement.montant_region = montant_region
    engagement.montant_epci = montant_epci
    engagement.full_clean()
    engagement._history_user = par
    engagement.save()
    return engagement


@transaction.atomic
def engagement_supprimer(*, engagement: EngagementAnnuel, par: User | None) -> None:
    engagement._history_user = par
    engagement.delete()


# --- Assignments and deadlines --------------------------------------------------------------------


@transaction.atomic
def affectation_creer(*, agent: User, epci: EPCI, direction: Direction, mission: str = "") -> Affectation:
    if not agent.est_agent:
        raise ValidationError("Seul un agent actif de la Région peut être affecté à un territoire.", code="agent")
    affectation = Affectation(agent=agent, epci=epci, direction=direction, mission=mission.strip())
    affectation.full_clean()
    affectation.save()
    return affectation


@transaction.atomic
def affectation_supprimer(*, affectation: Affectation) -> None:
    affectation.delete()


@transaction.atomic
def echeance_creer(*, type: str, date: date, libelle: str = "") -> EcheanceConventionnement:
    echeance = EcheanceConventionnement(type=type, date=date, libelle=libelle.strip())
    echeance.full_clean()
    echeance.save()
    return echeance


@transaction.atomic
def echeance_activer(*, echeance: EcheanceConventionnement, actif: bool) -> EcheanceConventionnement:
    echeance.actif = actif
    echeance.save(update_fields=["actif"])
    return echeance


# --- Alerts -------------------------------------------------------------------------------------


def pilotage_destinataires() -> QuerySet[User]:
    return User.objects.filter(is_active=True, is_staff=True, groups__name=Role.PILOTAGE.value).distinct()


def convention_destinataires(convention: ConventionTerritoriale) -> list[User]:
    """The chargés de mission assigned to the convention's EPCI, then pilotage, each once."""
    charges = User.objects.filter(
        is_active=True,
        is_staff=True,
        affectations__epci_id=convention.epci_id,
        groups__name=Role.CHARGE_DE_MISSION.value,
    ).distinct()
    vus, destinataires = set(), []
    for user in [*charges.order_by("last_name", "pk"), *pilotage_destinataires().order_by("last_name", "pk")]:
        if user.pk not in vus:
            vus.add(user.pk)
            destinataires.append(user)
    return destinataires


def seuil_applicable(jours_restants: int) -> int | None:
    """The smallest threshold reached: 20 days left → 30 (the 90-day alert is not sent late)."""
    atteints = [seuil for seuil in SEUILS_ALERTE if 0 <= jours_restants <= seuil]
    return min(atteints) if atteints else None


@transaction.atomic
def alertes_conventions_envoyer(*, aujourd_hui: date | None = None) -> dict:
    """Alert 90, 30 and 7 days before a signed convention ends, each alert once (AlerteConvention is
    claimed in this transaction), and one digest per recipient per run whatever the number of
    conventions. Safe to run several times a day."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    conventions = (
        ConventionTerritoriale.objects.filter(
            statut=Statut.SIGNEE,
            date_fin__gte=aujourd_hui,
            date_fin__lte=aujourd_hui + timedelta(days=max(SEUILS_ALERTE)),
        )
        .select_related("epci")
        .defer("epci__contour")
        .order_by("date_fin", "pk")
    )
    par_destinataire: dict[int, tuple[User, list[dict]]] = {}
    alertes = 0
    for convention in conventions:
        jours_restants = (convention.date_fin - aujourd_hui).days
        seuil = seuil_applicable(jours_restants)
        if seuil is None:
            continue
        _, creee = AlerteConvention.objects.get_or_create(convention=convention, seuil=seuil)
        if not creee:
            continue  # already sent (or being sent by a concurrent run)
        alertes += 1
        alerte = {"convention": convention, "seuil": seuil, "jours_restants": jours_restants}
        for destinataire in convention_destinataires(convention):
            par_destinataire.setdefault(destinataire.pk, (destinataire, []))[1].append(alerte)
    for destinataire, liste in par_destinataire.values():
        notification_creer(
            gabarit="territoires_convention_echeance",
            destinataire=destinataire,
            contexte={"alertes": liste, **liste[0]},
        )
    return {"alertes": alertes, "emails": len(par_destinataire)}


def epci_sans_convention(echeance: EcheanceConventionnement) -> QuerySet[EPCI]:
    """The EPCI with no signed convention of the deadline's type in force on its date."""
    couverts = ConventionTerritoriale.objects.en_vigueur(echeance.date).filter(type=echeance.type).values("epci_id")
    return EPCI.objects.exclude(pk__in=couverts).defer("contour").prefetch_related("departements").order_by("nom")


@transaction.atomic
def liste_echeance_envoyer(*, aujourd_hui: date | None = None) -> dict:
    """The weekly list, to pilotage, of the EPCI still without a convention for each coming deadline;
    once per ISO week whatever runs it (the week is claimed in this transaction)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    bilan = {"echeances": 0, "emails": 0}
    if not periode_reclamer("epci_liste_echeances", semaine_iso(aujourd_hui)):
        return bilan
    destinataires = list(pilotage_destinataires().order_by("last_name", "pk"))
    for echeance in EcheanceConventionnement.objects.actives().filter(date__gte=aujourd_hui):
        epcis = list(epci_sans_convention(echeance))
        en_cours = set(
            ConventionTerritoriale.objects.filter(
                type=echeance.type,
                statut__in=[Statut.PROJET, Statut.EN_NEGOCIATION, Statut.SIGNEE],
                date_fin__gte=echeance.date,
                epci__in=[e.pk for e in epcis],
            ).values_list("epci_id", flat=True)
        )
        for epci in epcis:
            epci.convention_en_cours = epci.pk in en_cours
        bilan["echeances"] += 1
        for destinataire in destinataires:
            notification_creer(
                gabarit="territoires_echeance_liste",
                destinataire=destinataire,
                contexte={
                    "echeance": echeance,
                    "epcis": epcis,
                    "jours_restants": (echeance.date - aujourd_hui).days,
                },
            )
            bilan["emails"] += 1
    return bilan
