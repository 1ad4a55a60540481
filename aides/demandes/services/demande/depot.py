import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import RegimeAide
from aides.demandes.actions import MACHINE_DEMANDE
from aides.demandes.formulaire import erreurs_formulaire, version_pour
from aides.demandes.models.demande import (
    DeclarationDeMinimis,
    Demande,
    LigneDepense,
    Statut,
    Transition,
)
from aides.demandes.models.espace import Membre
from aides.demandes.recepisse import GENRE_RECEPISSE
from crm.services import accompagnements_recalculer
from portal.destinataires import destinataires_avec_repli
from portal.documents import document_demander
from portal.models import User
from portal.roles import Role
from portal.services import notification_creer
from portal.templatetags.portail import format_euros


class ConflitDeVersion(Exception):
    """Somebody else changed the application since the form was displayed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def date_fr(jour: date) -> str:
    return jour.strftime("%d/%m/%Y")


def verifier_ouvert(dispositif: Dispositif, le: date) -> None:
    if dispositif.depot_externe:
        raise ValidationError(
            f"Le dispositif « {dispositif.nom} » se demande sur le site de son opérateur "
            f"({dispositif.url_depot_externe}), pas sur le portail."
        )
    if dispositif.statut != Dispositif.Statut.PUBLIE or not dispositif.est_ouvert(le):
        if dispositif.date_cloture and dispositif.date_cloture < le:
            raise ValidationError(
                f"Le dispositif « {dispositif.nom} » est clos depuis le {date_fr(dispositif.date_cloture)} : "
                "il n'accepte plus de demandes."
            )
        if dispositif.date_ouverture and dispositif.date_ouverture > le:
            raise ValidationError(
                f"Le dispositif « {dispositif.nom} » ouvre le {date_fr(dispositif.date_ouverture)} : "
                "vous pourrez déposer votre demande à partir de cette date."
            )
        raise ValidationError(f"Le dispositif « {dispositif.nom} » n'accepte pas de demandes.")


@transaction.atomic
def demande_creer(*, dispositif: Dispositif, membre: Membre, jeton: uuid.UUID | None = None) -> Demande:
    """A new draft. `jeton` is the token of the new-application form (one per display of the form):
    the same form posted again (a double click on « Déposer » without JavaScript, a resent request)
    gets the application its first post created, whatever its state since, so that it is deposited
    once. The unique constraint on the token makes two simultaneous posts agree on one row.
    Without a token (a script, an old form), a new draft every time. A lecteur, or an attachment
    refused or withdrawn, creates nothing."""
    if not membre.peut_deposer:
        raise ValidationError("Votre rôle dans le compte de l'entreprise ne permet pas de préparer une demande.")
    if jeton is not None:
        deja = Demande.objects.select_related("dispositif", "etablissement").filter(jeton_creation=jeton).first()
        if deja is not None:
            if _cree_par(deja, dispositif=dispositif, membre=membre):
                return deja
            jeton = None  # a token copied from someone else's form: ignore it
    verifier_ouvert(dispositif, timezone.localdate())
    if jeton is None:
        return _brouillon_creer(dispositif=dispositif, membre=membre)
    try:
        with transaction.atomic():
            return _brouillon_creer(dispositif=dispositif, membre=membre, jeton=jeton)
    except IntegrityError:
        # Another post of the same form inserted the token first: this insert waited for its commit.
        deja = Demande.objects.select_related("dispositif", "etablissement").filter(jeton_creation=jeton).first()
        if deja is None or not _cree_par(deja, dispositif=dispositif, membre=membre):
            raise
        return deja


def _cree_par(demande: Demande, *, dispositif: Dispositif, membre: Membre) -> bool:
    return demande.demandeur_id == membre.utilisateur_id and demande.dispositif_id == dispositif.pk


def _brouillon_creer(*, dispositif: Dispositif, membre: Membre, jeton: uuid.UUID | None = None) -> Demande:
    demande = Demande(
        dispositif=dispositif,
        etablissement=membre.etablissement,
        demandeur=membre.utilisateur,
        jeton_creation=jeton,
        version_formulaire=version_pour(dispositif),
    )
    demande.full_clean(exclude=["jeton_creation"])  # the database's unique constraint decides (see above)
    demande.save()
    return demande


def _verifier_brouillon(demande: Demande) -> None:
    if demande.statut not in MACHINE_DEMANDE.actions["modifier"]:
        raise ValidationError(
            f"Cette demande est {demande.get_statut_display().lower()} : elle ne peut plus être modifiée."
        )


@dataclass
class LigneSaisie:
    nature: str
    montant_ht: Decimal


@dataclass
class DeclarationSaisie:
    organisme: str
    date_octroi: date
    montant: Decimal


@transaction.atomic
def demande_enregistrer(
    *,
    demande: Demande,
    champs: dict,
    lignes: list[LigneSaisie] | None = None,
    declarations: list[DeclarationSaisie] | None = None,
) -> Demande:
    """Save the draft as typed: no completeness rule here (that is the deposit's job)."""
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    _verifier_brouillon(demande)
    for nom, valeur in champs.items():
        setattr(demande, nom, valeur)
    demande.full_clean()
    demande.save()
    if lignes is not None:
        demande.lignes.all().delete()
        LigneDepense.objects.bulk_create(
            [
                LigneDepense(demande=demande, nature=ligne.nature, montant_ht=ligne.montant_ht, ordre=i)
                for i, ligne in enumerate(lignes)
            ]
        )
    if declarations is not None:
        demande.declarations_de_minimis.all().delete()
        entreprise_id = demande.etablissement.entreprise_id
        for saisie in declarations:
            declaration = DeclarationDeMinimis(
                entreprise_id=entreprise_id,
                demande=demande,
                organisme=saisie.organisme,
                date_octroi=saisie.date_octroi,
                montant=saisie.montant,
            )
            declaration.full_clean()
            declaration.save()
    return demande


def numero_depot_generer(le: date) -> str:
    """2026-000123: year of deposit and a PostgreSQL sequence (no gap-free promise, no duplicates)."""
    with connection.cursor() as curseur:
        curseur.execute("SELECT nextval('aides_demande_numero_depot_seq')")
        (valeur,) = curseur.fetchone()
    return f"{le.year}-{valeur:06d}"


def erreurs_depot(demande: Demande, le: date) -> list[str]:
    """Every reason the application cannot be deposited on that day, in French (empty: it can)."""
    erreurs = []
    try:
        verifier_ouvert(demande.dispositif, le)
    except ValidationError as erreur:
        erreurs.extend(erreur.messages)
    if not demande.intitule.strip():
        erreurs.append("Donnez un intitulé à votre projet.")
    if not demande.projet.strip():
        erreurs.append("Décrivez votre projet.")
    if demande.date_debut_projet is None:
        erreurs.append("Indiquez la date de début du projet.")
    elif demande.date_debut_projet < le:
        erreurs.append(
            f"Le projet a commencé le {date_fr(demande.date_debut_projet)}, avant le dépôt de la demande "
            f"(le {date_fr(le)}) : une aide doit avoir un effet incitatif, le projet ne peut pas avoir "
            "commencé avant le dépôt."
        )
    lignes = list(demande.lignes.all())
    if not lignes:
        erreurs.append("Ajoutez au moins une ligne au tableau des dépenses.")
    if not demande.montant_demande:
        erreurs.append("Indiquez le montant demandé.")
    else:
        total = sum((ligne.montant_ht for ligne in lignes), Decimal(0))
        if lignes and demande.montant_demande > total:
            erreurs.append(
                f"Le montant demandé ({format_euros(demande.montant_demande)}) dépasse le total des dépenses "
                f"({format_euros(total)})."
            )
        plafond = demande.dispositif.montant_max
        if plafond is not None and demande.montant_demande > plafond:
            erreurs.append(
                f"Le montant demandé ({format_euros(demande.montant_demande)}) dépasse le maximum du dispositif "
                f"({format_euros(plafond)})."
            )
    fournies = set(demande.pieces.filter(message=None).values_list("type_piece", flat=True))
    for piece in demande.dispositif.documents_requis:
        if piece not in fournies:
            erreurs.append(f"Pièce manquante : {piece}.")
    erreurs.extend(erreurs_formulaire(demande, le))
    if demande.dispositif.regime == RegimeAide.DE_MINIMIS and not demande.declaration_de_minimis_faite:
        erreurs.append(
            "Cette aide relève du régime de minimis : déclarez les aides de minimis reçues ces trois dernières "
            "années (ou cochez qu'il n'y en a pas) puis confirmez la déclaration."
        )
    return erreurs


def _transition(demande: Demande, *, vers: str, par: User | None, motif: str = "", public: bool = True) -> Transition:
    de = demande.statut
    if vers not in MACHINE_DEMANDE.transitions[de]:
        raise ValidationError(
            f"Une demande {Statut(de).label.lower()} ne peut pas passer à l'état « {Statut(vers).label.lower()} »."
        )
    transition = Transition(demande=demande, de=de, vers=vers, par=par, motif=motif, public=public)
    transition.full_clean()
    transition.save()
    demande.statut = vers
    demande.version += 1
    return transition


def _verifier_deposant(demande: Demande, par: User) -> None:
    """A verified membre or administrateur of the company deposits its drafts; a requester whose
    attachment is still to verify, only their own; a lecteur, nothing."""
    membre = Membre.objects.actifs().filter(utilisateur=par, entreprise_id=demande.etablissement.entreprise_id).first()
    if membre is None or not membre.peut_deposer or (not membre.est_verifie and demande.demandeur_id != par.pk):
        raise PermissionDenied("Seul un membre du compte de l'entreprise dépose ses demandes.")


def rattachement_verifie(demande: Demande) -> bool:
    """Whether the applicant's attachment to the company is verified (a grant needs it)."""
    return (
        Membre.objects.verifies()
        .filter(utilisateur_id=demande.demandeur_id, entreprise_id=demande.etablissement.entreprise_id)
        .exists()
    )


@transaction.atomic
def demande_deposer(*, demande_id: int, par: User) -> tuple[Demande, bool]:
    """Deposit the draft. Returns (demande, deposited_now): a second click finds it already
    deposited (the row lock makes the second transaction wait for the first) and changes nothing."""
    demande = (
        Demande.objects.select_for_update(of=("self",)).select_related("dispositif", "etablissement").get(pk=demande_id)
    )
    if demande.statut not in MACHINE_DEMANDE.actions["deposer"]:
        return demande, False
    _verifier_deposant(demande, par)
    maintenant = timezone.now()
    le = timezone.localdate(maintenant)
    erreurs = erreurs_depot(demande, le)
    if erreurs:
        raise ValidationError(erreurs)
    _transition(demande, vers=Statut.DEPOSEE, par=par, motif="Demande déposée en ligne.")
    demande.numero_depot = numero_depot_generer(le)
    demande.depose_le = maintenant
    demande.recepisse, _ = document_demander(genre=GENRE_RECEPISSE, cle=f"demande:{demande.pk}", par=par)
    demande.full_clean()
    demande.save()
    accompagnements_recalculer(entreprise_id=demande.etablissement.entreprise_id)
    _notifier_entreprise(demande, "demande_deposee")
    for agent in destinataires_agents(demande):
        notification_creer(gabarit="demande_nouvelle", destinataire=agent, contexte=_contexte(demande))
    return demande, True


def _contexte(demande: Demande, **extra) -> dict:
    return {
        "demande": demande,
        "dispositif": demande.dispositif,
        "lien_espace": reverse("espace:demande", args=[demande.pk]),
        "lien_instruction": reverse("aides_instruction:demande", args=[demande.pk]),
        **extra,
    }


def _notifier_entreprise(demande: Demande, gabarit: str, **extra) -> None:
    notification_creer(gabarit=gabarit, destinataire=demande.demandeur, contexte=_contexte(demande, **extra))


def destinataires_agents(demande: Demande) -> list[User | str]:
    """The assigned instructeur, otherwise the instructeurs of the dispositif's direction, otherwise
    the direction's shared mailbox, otherwise pilotage (portal.destinataires)."""
    if demande.instructeur_id and demande.instructeur.est_agent:
        return [demande.instructeur]
    instructeurs = list(
        User.objects.agents()
        .filter(direction_id=demande.dispositif.direction_id, groups__name=Role.INSTRUCTEUR.value)
        .distinct()
    )
    # Nobody may be left unaware of a new file: the direction's mailbox, else pilotage.
    return destinataires_avec_repli(personnes=instructeurs, direction=demande.dispositif.direction).destinataires
