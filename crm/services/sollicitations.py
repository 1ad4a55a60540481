from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from crm.actions import MACHINE_SOLLICITATION
from crm.jours_ouvres import retirer_jours_ouvres
from crm.models import (
    Entreprise,
    Etablissement,
    Sollicitation,
    Structure,
)
from crm.referentiels import DIRECTION_PAR_BESOIN
from crm.services.entreprises import accompagnements_recalculer
from portal.destinataires import Niveau, destinataires_avec_repli
from portal.models import Direction, User
from portal.roles import Role
from portal.services import notification_creer
from territoires.models import Affectation, Commune

DELAI_RELANCE_JOURS_OUVRES = 2


DELAI_ALERTE_JOURS_OUVRES = 10


def destinataires_sollicitation(*, commune: Commune, direction: Direction) -> list[User]:
    """The agents assigned to the commune's EPCI for the direction (empty: the direction's inbox)."""
    affectations = Affectation.objects.pour(epci=commune.epci, direction=direction).select_related("agent")
    return [affectation.agent for affectation in affectations if affectation.agent.is_staff]


@transaction.atomic
def sollicitation_creer(*, commune: Commune, besoin: str, par: User | None = None, **champs) -> Sollicitation:
    """Record a request and route it to the territory's agents, else to the direction's inbox."""
    direction = champs.pop("direction", None) or Direction.objects.get(code=DIRECTION_PAR_BESOIN[besoin])
    sollicitation = Sollicitation(commune=commune, besoin=besoin, direction=direction, cree_par=par, **champs)
    saisie = "".join(sollicitation.entreprise_saisie.split())
    if saisie.isdigit() and not sollicitation.etablissement_id and len(saisie) == 14:
        sollicitation.etablissement = Etablissement.objects.filter(siret=saisie).first()
    if saisie.isdigit() and not sollicitation.entreprise_id and len(saisie) in (9, 14):
        sollicitation.entreprise = Entreprise.objects.filter(siren=saisie[:9]).first()
    if sollicitation.etablissement_id and not sollicitation.entreprise_id:
        sollicitation.entreprise_id = sollicitation.etablissement.entreprise_id
    if sollicitation.origine == Sollicitation.Origine.FORMULAIRE and not sollicitation.consentement:
        raise ValidationError({"consentement": "Votre accord est nécessaire pour que la Région vous recontacte."})
    sollicitation.full_clean()
    sollicitation.save()
    _router(sollicitation)
    if sollicitation.entreprise_id:
        accompagnements_recalculer(entreprise_id=sollicitation.entreprise_id)
    return sollicitation


def _router(sollicitation: Sollicitation) -> None:
    """The territory's agents, else the direction's mailbox, else pilotage; what happened is kept
    (`acheminement`) so that the company is told the truth."""
    agents = destinataires_sollicitation(commune=sollicitation.commune, direction=sollicitation.direction)
    sollicitation.assignes.set(agents)
    acheminement = destinataires_avec_repli(personnes=agents, direction=sollicitation.direction)
    sollicitation.acheminement = acheminement.niveau
    sollicitation.save(update_fields=["acheminement"])
    contexte = {"sollicitation": sollicitation, "boite_direction": acheminement.niveau != Niveau.PERSONNES}
    for destinataire in acheminement.destinataires:
        notification_creer(gabarit="crm_sollicitation_nouvelle", destinataire=destinataire, contexte=contexte)


def _verifier_ouverte(sollicitation: Sollicitation, action: str) -> None:
    if sollicitation.statut not in MACHINE_SOLLICITATION.actions[action]:
        raise ValidationError(f"Cette demande est déjà « {sollicitation.get_statut_display()} ».")


@transaction.atomic
def sollicitation_prendre_en_charge(*, sollicitation: Sollicitation, par: User) -> Sollicitation:
    """An agent takes the request; the company is told by email."""
    sollicitation = Sollicitation.objects.select_for_update().get(pk=sollicitation.pk)
    if sollicitation.statut not in MACHINE_SOLLICITATION.actions["prendre"]:
        raise ValidationError("Cette demande a déjà été prise en charge.")
    sollicitation.statut = Sollicitation.Statut.PRISE_EN_CHARGE
    sollicitation.prise_en_charge_le = timezone.now()
    sollicitation.prise_en_charge_par = par
    sollicitation.save(update_fields=["statut", "prise_en_charge_le", "prise_en_charge_par"])
    sollicitation.assignes.add(par)
    notification_creer(
        gabarit="crm_sollicitation_prise",
        destinataire=sollicitation.email,
        contexte={"sollicitation": sollicitation, "agent": par},
    )
    return sollicitation


@transaction.atomic
def sollicitation_repondre(*, sollicitation: Sollicitation, par: User, reponse: str) -> Sollicitation:
    sollicitation = Sollicitation.objects.select_for_update().get(pk=sollicitation.pk)
    _verifier_ouverte(sollicitation, "repondre")
    if not reponse.strip():
        raise ValidationError({"reponse": "Décrivez la réponse apportée."})
    maintenant = timezone.now()
    if sollicitation.prise_en_charge_le is None:
        sollicitation.prise_en_charge_le, sollicitation.prise_en_charge_par = maintenant, par
    sollicitation.statut = Sollicitation.Statut.REPONDUE
    sollicitation.repondue_le = maintenant
    sollicitation.reponse = reponse.strip()
    sollicitation.save()
    # The written answer is the company's: it receives it, with who answered.
    notification_creer(
        gabarit="crm_sollicitation_reponse",
        destinataire=sollicitation.email,
        contexte={"sollicitation": sollicitation, "agent": par},
    )
    return sollicitation


@transaction.atomic
def sollicitation_reorienter(
    *,
    sollicitation: Sollicitation,
    par: User,
    direction: Direction | None = None,
    structure: Structure | None = None,
    motif: str = "",
) -> Sollicitation:
    """Send the request to another direction (routed again there) or to a partner."""
    sollicitation = Sollicitation.objects.select_for_update().get(pk=sollicitation.pk)
    _verifier_ouverte(sollicitation, "reorienter")
    if (direction is None) == (structure is None):
        raise ValidationError("Choisissez soit une autre direction, soit un partenaire.")
    if direction is not None and direction.pk == sollicitation.direction_id:
        raise ValidationError({"direction": "La demande est déjà dans cette direction."})
    sollicitation.statut = Sollicitation.Statut.REORIENTEE
    sollicitation.reorientee_vers_direction = direction
    sollicitation.reorientee_vers_structure = structure
    sollicitation.reponse = motif
    sollicitation.repondue_le = timezone.now()
    sollicitation.save()
    if direction is not None:
        # A new request in the other direction, routed to its agents on the territory.
        nouvelle = Sollicitation.objects.create(
            origine=Sollicitation.Origine.AGENT,
            nom=sollicitation.nom,
            email=sollicitation.email,
            telephone=sollicitation.telephone,
            entreprise_saisie=sollicitation.entreprise_saisie,
            entreprise=sollicitation.entreprise,
            etablissement=sollicitation.etablissement,
            commune=sollicitation.commune,
            besoin=sollicitation.besoin,
            message=f"Réorientée par {par} ({sollicitation.direction.code}) : {motif}\n\n{sollicitation.message}",
            consentement=sollicitation.consentement,
            direction=direction,
            cree_par=par,
        )
        _router(nouvelle)
    return sollicitation


@transaction.atomic
def sollicitation_clore(*, sollicitation: Sollicitation, par: User, motif: str = "") -> Sollicitation:
    sollicitation = Sollicitation.objects.select_for_update().get(pk=sollicitation.pk)
    _verifier_ouverte(sollicitation, "clore")
    sollicitation.statut = Sollicitation.Statut.CLOSE
    sollicitation.close_le = timezone.now()
    if motif:
        sollicitation.reponse = motif
    sollicitation.save()
    return sollicitation


def pilotes_direction(direction: Direction) -> list[User]:
    groupe = Group.objects.filter(name=Role.PILOTAGE.value)
    return list(User.objects.agents().filter(direction=direction, groups__in=groupe).distinct())


def sollicitations_relancer(*, maintenant=None) -> dict[str, int]:
    """Remind the assignees of requests not taken after 2 working days; alert the direction's
    pilotage about requests unanswered after 10. Each reminder is sent once (claimed row)."""
    maintenant = maintenant or timezone.now()
    local = timezone.localtime(maintenant)
    compte = {"relances": 0, "alertes": 0, "sans_destinataire": 0}

    seuil_relance = retirer_jours_ouvres(local, DELAI_RELANCE_JOURS_OUVRES)
    a_relancer = Sollicitation.objects.filter(
        statut=Sollicitation.Statut.NOUVELLE, relance_le__isnull=True, cree_le__lte=seuil_relance
    ).values_list("pk", flat=True)
    for pk in list(a_relancer):
        with transaction.atomic():
            sollicitation = (
                Sollicitation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("direction", "commune")
                .filter(pk=pk, relance_le__isnull=True)
                .first()
            )
            if sollicitation is None:
                continue  # another run has it
            acheminement = destinataires_avec_repli(
                personnes=sollicitation.assignes.all(), direction=sollicitation.direction
            )
            if not acheminement:
                compte["sans_destinataire"] += 1  # not marked: the next run tries again
                continue
            for destinataire in acheminement.destinataires:
                notification_creer(
                    gabarit="crm_sollicitation_relance",
                    destinataire=destinataire,
                    contexte={"sollicitation": sollicitation},
                )
            Sollicitation.objects.filter(pk=pk).update(relance_le=maintenant)
            compte["relances"] += 1

    seuil_alerte = retirer_jours_ouvres(local, DELAI_ALERTE_JOURS_OUVRES)
    a_alerter = Sollicitation.objects.ouvertes().filter(alerte_le__isnull=True, cree_le__lte=seuil_alerte)
    for pk in list(a_alerter.values_list("pk", flat=True)):
        with transaction.atomic():
            sollicitation = (
                Sollicitation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("direction", "commune")
                .filter(pk=pk, alerte_le__isnull=True)
                .first()
            )
            if sollicitation is None:
                continue
            # The escalation is for pilotage: the direction's, else the mailbox, else pilotage as a whole.
            pilotes = pilotes_direction(sollicitation.direction)
            acheminement = destinataires_avec_repli(personnes=pilotes, direction=sollicitation.direction)
            if not acheminement:
                compte["sans_destinataire"] += 1
                continue
            for destinataire in acheminement.destinataires:
                notification_creer(
                    gabarit="crm_sollicitation_alerte",
                    destinataire=destinataire,
                    contexte={"sollicitation": sollicitation},
                )
            Sollicitation.objects.filter(pk=pk).update(alerte_le=maintenant)
            compte["alertes"] += 1
    return compte
