"""Writes on project reviews (the meeting) and the reminder sent before it."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.models import User
from portal.services import notification_creer
from territoires.acces import peut_creer_revue, peut_modifier_revue
from territoires.models import EPCI, RevueDeProjets

# Days before a planned review at which its Région participants get a reminder.
JOURS_RAPPEL_REVUE = 7

CHAMPS_REVUE = ("date", "heure", "lieu", "participants_partenaires")


def _participants_verifier(participants) -> None:
    if any(not p.est_agent for p in participants):
        raise ValidationError({"participants_internes": "Les participants de la Région doivent être des agents."})


@transaction.atomic
def revue_creer(
    *, par: User | None, epcis: list[EPCI], participants_internes: list[User] = (), demo: bool = False, **champs
) -> RevueDeProjets:
    """Plan a review. `par` (None for scripts) must be pilotage or assigned to one of its EPCI."""
    inconnus = set(champs) - set(CHAMPS_REVUE)
    if inconnus:
        raise TypeError(f"Champs inconnus : {', '.join(sorted(inconnus))}")
    if not epcis:
        raise ValidationError({"epcis": "Choisissez au moins un EPCI."})
    if par is not None and not peut_creer_revue(par, epcis):
        raise ValidationError(
            {"epcis": "Vous n'êtes affecté(e) à aucun de ces EPCI : seul le pilotage peut y planifier une revue."}
        )
    _participants_verifier(participants_internes)
    revue = RevueDeProjets(creee_par=par, demo=demo, **champs)
    revue.full_clean()
    revue.save()
    revue.epcis.set(epcis)
    revue.participants_internes.set(participants_internes)
    return revue


@transaction.atomic
def revue_modifier(
    *,
    revue: RevueDeProjets,
    epcis: list[EPCI] | None = None,
    participants_internes: list[User] | None = None,
    statut: str | None = None,
    par: User | None = None,
    **champs,
) -> RevueDeProjets:
    inconnus = set(champs) - set(CHAMPS_REVUE)
    if inconnus:
        raise TypeError(f"Champs inconnus : {', '.join(sorted(inconnus))}")
    ancienne_date = revue.date
    for nom, valeur in champs.items():
        setattr(revue, nom, valeur)
    if statut is not None:
        revue.statut = statut
    if revue.date != ancienne_date:
        revue.rappel_envoye_le = None  # a new date deserves its own reminder
    revue.full_clean()
    revue.save()
    if epcis is not None:
        if not epcis:
            raise ValidationError({"epcis": "Choisissez au moins un EPCI."})
        revue.epcis.set(epcis)
    if participants_internes is not None:
        _participants_verifier(participants_internes)
        revue.participants_internes.set(participants_internes)
    if par is not None:
        revue._modifiable_par = {}  # the EPCI and participants just changed
        if not peut_modifier_revue(par, revue):
            raise ValidationError(
                {
                    "epcis": "Vous ne pourriez plus modifier cette revue : gardez un EPCI auquel vous êtes affecté(e) "
                    "ou restez parmi ses participants."
                }
            )
    return revue


@transaction.atomic
def revue_rappeler(*, revue_id: int, aujourd_hui: date | None = None) -> int | None:
    """Remind the review's Région participants, once: the row is claimed with a conditional update.

    Returns the number of emails written, None when another run already sent it.
    """
    if not RevueDeProjets.objects.filter(
        pk=revue_id, rappel_envoye_le__isnull=True, statut=RevueDeProjets.Statut.PLANIFIEE
    ).update(rappel_envoye_le=timezone.now()):
        return None
    revue = RevueDeProjets.objects.get(pk=revue_id)
    epcis = list(revue.epcis.defer("contour").order_by("nom"))
    participants = list(revue.participants_internes.filter(is_active=True).order_by("last_name", "pk"))
    for participant in participants:
        notification_creer(
            gabarit="territoires_revue_rappel",
            destinataire=participant,
            contexte={
                "revue": revue,
                "epcis": epcis,
                "jours_restants": (revue.date - (aujourd_hui or timezone.localdate())).days,
            },
        )
    return len(participants)


def rappels_revues_envoyer(*, aujourd_hui: date | None = None) -> dict:
    """Remind participants of the planned reviews of the next JOURS_RAPPEL_REVUE days (each once)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    revues = RevueDeProjets.objects.planifiees().filter(
        rappel_envoye_le__isnull=True, date__gte=aujourd_hui, date__lte=aujourd_hui + timedelta(days=JOURS_RAPPEL_REVUE)
    )
    bilan = {"revues": 0, "emails": 0}
    for pk in revues.values_list("pk", flat=True):
        emails = revue_rappeler(revue_id=pk, aujourd_hui=aujourd_hui)
        if emails is not None:
            bilan["revues"] += 1
            bilan["emails"] += emails
    return bilan
