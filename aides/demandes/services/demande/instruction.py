from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aides.catalogue.referentiels import RegimeAide
from aides.demandes import lettres  # module import: lettres imports this package back
from aides.demandes.actions import MACHINE_DEMANDE
from aides.demandes.models.demande import (
    Annotation,
    Demande,
    Message,
    PieceJointe,
    Statut,
)
from aides.demandes.services.demande.depot import (
    ConflitDeVersion,
    _contexte,
    _notifier_entreprise,
    _transition,
    date_fr,
    destinataires_agents,
    rattachement_verifie,
)
from aides.demandes.services.demande.pieces import piece_ajouter
from crm.models import Entreprise
from crm.services import accompagnements_recalculer
from portal.models import User
from portal.roles import Role
from portal.services import notification_creer
from portal.templatetags.portail import format_euros
from portal.verification import FichierVerifie

PLAFOND_DE_MINIMIS = Decimal("300000")


def _verrouiller(demande_id: int, version: int) -> Demande:
    """Lock the row and check nobody changed it since the agent's page was displayed."""
    demande = (
        Demande.objects.select_for_update(of=("self",))
        .select_related("dispositif", "etablissement__entreprise", "demandeur", "instructeur")
        .get(pk=demande_id)
    )
    if demande.version != version:
        derniere = demande.transitions.select_related("par").order_by("-le", "-pk").first()
        qui = f" par {derniere.par} le {timezone.localtime(derniere.le):%d/%m/%Y à %H:%M}" if derniere else ""
        raise ConflitDeVersion(
            f"Cette demande a été modifiée{qui} pendant que vous la consultiez (elle est maintenant "
            f"« {demande.get_statut_display().lower()} »). Votre action n'a pas été enregistrée : "
            "relisez la demande puis recommencez si besoin."
        )
    return demande


@transaction.atomic
def demande_assigner(*, demande_id: int, version: int, instructeur: User | None, par: User) -> Demande:
    demande = _verrouiller(demande_id, version)
    if instructeur is not None and not (instructeur.est_agent and instructeur.a_role(Role.INSTRUCTEUR)):
        raise ValidationError("Choisissez un agent qui a le rôle d'instructeur.")
    demande.instructeur = instructeur
    demande.version += 1
    demande.save(update_fields=["instructeur", "version", "modifie_le"])
    return demande


@transaction.atomic
def instruction_commencer(*, demande_id: int, version: int, par: User) -> Demande:
    demande = _verrouiller(demande_id, version)
    _transition(demande, vers=Statut.EN_INSTRUCTION, par=par, motif="Instruction commencée.")
    if demande.instructeur_id is None:
        demande.instructeur = par
    demande.save(update_fields=["statut", "version", "instructeur", "modifie_le"])
    return demande


@transaction.atomic
def complement_demander(*, demande_id: int, version: int, par: User, texte: str) -> Message:
    if not texte.strip():
        raise ValidationError({"texte": "Écrivez ce que l'entreprise doit fournir."})
    demande = _verrouiller(demande_id, version)
    _transition(demande, vers=Statut.COMPLEMENT_DEMANDE, par=par, motif=texte)
    demande.save(update_fields=["statut", "version", "modifie_le"])
    message = Message(
        demande=demande,
        genre=Message.Genre.DEMANDE_COMPLEMENT,
        de_l_instruction=True,
        auteur=par,
        texte=texte,
        repondre_avant=timezone.localdate() + timedelta(days=settings.COMPLEMENT_DELAI_JOURS),
    )
    message.full_clean()
    message.save()
    _notifier_entreprise(demande, "demande_complement", message=message)
    return message


# Days before a complement request's deadline at which the company is reminded.
JOURS_RAPPEL_COMPLEMENT = 3


def complements_rappeler(*, aujourd_hui: date | None = None) -> int:
    """Remind the company of each unanswered complement request whose deadline is near, once (the
    message is claimed by a conditional update). Returns how many reminders were written."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    a_rappeler = Message.objects.filter(
        genre=Message.Genre.DEMANDE_COMPLEMENT,
        rappel_envoye_le__isnull=True,
        repondre_avant__lte=aujourd_hui + timedelta(days=JOURS_RAPPEL_COMPLEMENT),
        demande__statut=Statut.COMPLEMENT_DEMANDE,
    ).values_list("pk", flat=True)
    envoyes = 0
    for pk in list(a_rappeler):
        with transaction.atomic():
            if not Message.objects.filter(pk=pk, rappel_envoye_le__isnull=True).update(rappel_envoye_le=timezone.now()):
                continue  # another run sent it
            message = Message.objects.select_related("demande__dispositif", "demande__demandeur").get(pk=pk)
            if message.demande.messages.filter(genre=Message.Genre.REPONSE, cree_le__gt=message.cree_le).exists():
                continue
            _notifier_entreprise(message.demande, "demande_complement_rappel", message=message)
            envoyes += 1
    return envoyes


@transaction.atomic
def complement_repondre(
    *, demande_id: int, par: User, texte: str, fichiers: list[FichierVerifie], remplacees: list[int] = ()
) -> Message:
    """The company's answer: text and files, which may replace documents of the file (`remplacees`:
    their ids; kept and marked « remplacée »); the application goes back to instruction."""
    if not texte.strip() and not fichiers:
        raise ValidationError({"texte": "Écrivez une réponse ou joignez au moins un fichier."})
    demande = (
        Demande.objects.select_for_update(of=("self",)).select_related("dispositif", "instructeur").get(pk=demande_id)
    )
    if demande.statut not in MACHINE_DEMANDE.actions["repondre"]:
        raise ValidationError("Aucun complément n'est attendu sur cette demande : votre réponse n'a pas été envoyée.")
    remplacees = {int(pk) for pk in remplacees}
    if remplacees:
        if not fichiers:
            raise ValidationError({"remplacer": "Joignez le nouveau document qui remplace l'ancien."})
        valides = set(
            demande.pieces.filter(pk__in=remplacees, message=None, remplacee_par=None).values_list("pk", flat=True)
        )
        if valides != remplacees:
            raise ValidationError({"remplacer": "Un document à remplacer n'appartient pas à ce dossier."})
    message = Message(demande=demande, genre=Message.Genre.REPONSE, auteur=par, texte=texte)
    message.full_clean()
    message.save()
    for verifie in fichiers:
        piece_ajouter(demande=demande, verifie=verifie, par=par, message=message)
    if remplacees:
        PieceJointe.objects.filter(pk__in=remplacees).update(remplacee_par=message)
    _transition(demande, vers=Statut.EN_INSTRUCTION, par=par, motif="Réponse de l'entreprise reçue.")
    demande.save(update_fields=["statut", "version", "modifie_le"])
    for agent in destinataires_agents(demande):
        notification_creer(gabarit="demande_reponse", destinataire=agent, contexte=_contexte(demande, message=message))
    return message


@transaction.atomic
def annotation_ajouter(*, demande: Demande, par: User, texte: str) -> Annotation:
    annotation = Annotation(demande=demande, auteur=par, texte=texte)
    annotation.full_clean()
    annotation.save()
    return annotation


@transaction.atomic
def demande_decider(
    *,
    demande_id: int,
    version: int,
    par: User,
    decision: str,
    motif: str,
    montant_accorde: Decimal | None = None,
    date_commission: date | None = None,
    numero_deliberation: str = "",
) -> Demande:
    if decision not in {Statut.ACCORDEE, Statut.REFUSEE, Statut.SANS_SUITE}:
        raise ValidationError({"decision": "Choisissez une décision : accordée, refusée ou sans suite."})
    demande = _verrouiller(demande_id, version)
    erreurs: dict[str, str] = {}
    if not motif.strip():
        erreurs["motif"] = "Motivez la décision : le motif est communiqué à l'entreprise."
    if decision == Statut.ACCORDEE:
        if montant_accorde is None or montant_accorde <= 0:
            erreurs["montant_accorde"] = "Indiquez le montant accordé."
        elif demande.montant_demande is not None and montant_accorde > demande.montant_demande:
            erreurs["montant_accorde"] = (
                f"Le montant accordé ({format_euros(montant_accorde)}) ne peut pas dépasser le montant demandé "
                f"({format_euros(demande.montant_demande)})."
            )
        if date_commission is None:
            erreurs["date_commission"] = "Indiquez la date de la commission permanente."
        elif date_commission > timezone.localdate():
            # The decision date is the de minimis reference date and is printed on the convention.
            erreurs["date_commission"] = (
                f"La date de la commission permanente ne peut pas être dans le futur ({date_fr(date_commission)}) : "
                "la décision est prise quand la commission s'est réunie."
            )
        if "montant_accorde" not in erreurs and montant_accorde is not None:
            if message := _taux_depasse(demande, montant_accorde):
                erreurs["montant_accorde"] = message
        if not numero_deliberation.strip():
            erreurs["numero_deliberation"] = "Indiquez le numéro de la délibération."
        if not rattachement_verifie(demande):
            erreurs["decision"] = (
                "Rattachement non vérifié : la personne qui a déposé cette demande n'est pas encore reconnue "
                "comme membre de l'entreprise. L'aide ne peut pas être accordée tant que son rattachement n'est "
                "pas vérifié (par un administrateur du compte de l'entreprise ou dans « Rattachements à vérifier »)."
            )
    if erreurs:
        raise ValidationError(erreurs)
    if decision == Statut.ACCORDEE and demande.dispositif.regime == RegimeAide.DE_MINIMIS:
        from aides.demandes.selectors import de_minimis_situation  # here: at the top it would close an import cycle

        # Two files of one company granted at the same time must not both fit under the ceiling:
        # the company's row serialises the grants, the second one counts the first.
        list(Entreprise.objects.select_for_update().filter(pk=demande.etablissement.entreprise_id).values("pk"))
        situation = de_minimis_situation(siren=demande.etablissement.entreprise.siren, le=date_commission)
        if situation.total + montant_accorde > PLAFOND_DE_MINIMIS:
            raise ValidationError(
                {
                    "montant_accorde": (
                        f"Plafond de minimis dépassé : l'entreprise (SIREN {situation.siren}) a déjà reçu "
                        f"{format_euros(situation.total)} d'aides de minimis du {date_fr(situation.debut)} au "
                        f"{date_fr(situation.fin)} ; avec {format_euros(montant_accorde)} de plus, le total serait "
                        f"de {format_euros(situation.total + montant_accorde)}, au-delà du plafond de "
                        f"{format_euros(PLAFOND_DE_MINIMIS)}. Montant maximal possible : "
                        f"{format_euros(situation.reste)}."
                    )
                }
            )
    _transition(demande, vers=decision, par=par, motif=motif)
    demande.motif_decision = motif
    demande.decidee_le = timezone.now()
    if decision == Statut.ACCORDEE:
        demande.montant_accorde = montant_accorde
        demande.date_commission = date_commission
        demande.numero_deliberation = numero_deliberation.strip()
    demande.full_clean()
    demande.save()
    accompagnements_recalculer(entreprise_id=demande.etablissement.entreprise_id)
    _notifier_entreprise(demande, "demande_decision")
    lettres.lettre_demander(demande, par=par)
    return demande


def debut_periode_de_minimis(le: date) -> date:
    """First day of the rolling three-year period ending on `le` (regulation (EU) 2023/2831, art. 3)."""
    try:
        il_y_a_trois_ans = le.replace(year=le.year - 3)
    except ValueError:  # 29 February
        il_y_a_trois_ans = le.replace(year=le.year - 3, day=28)
    return il_y_a_trois_ans + timedelta(days=1)


def _taux_depasse(demande: Demande, montant_accorde: Decimal) -> str:
    """The French error when the amount exceeds the dispositif's maximum rate of the expenses, else ""."""
    taux_max = demande.dispositif.taux_max
    if taux_max is None:
        return ""
    depenses = demande.total_depenses()
    plafond = (depenses * taux_max / 100).quantize(Decimal("0.01"))
    if montant_accorde <= plafond:
        return ""
    return (
        f"Le montant accordé ({format_euros(montant_accorde)}) dépasse le taux maximum du dispositif "
        f"({taux_max.normalize():f}\u00a0% de {format_euros(depenses)} de dépenses, soit {format_euros(plafond)} "
        "au plus)."
    )
