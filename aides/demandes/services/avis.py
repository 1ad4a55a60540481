"""Expert opinions on an application (AvisExpert): an instructeur asks an agent of another direction,
or a user of an EPCI or of a partner structure, a question with a deadline; the expert answers once;
a reminder goes out before the deadline. Opinions are private to staff."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from aides.demandes.models.avis import AvisExpert
from aides.demandes.models.demande import Demande
from portal.models import User
from portal.periodes import periode_jour, une_fois_par_periode
from portal.permissions import peut
from portal.services import notification_creer

JOURS_RAPPEL_AVIS = 2


def experts_possibles(*, pour: User) -> QuerySet[User]:
    """Who may be asked: an active agent (any direction), or a user of an EPCI or a partner structure
    (an attachment to /partenaires/); never the person who asks."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True, groups__isnull=False) | Q(partenariat__isnull=False))
        .exclude(pk=pour.pk)
        .distinct()
        .select_related("direction")
        .order_by("last_name", "first_name", "email")
    )


def lien_expert(avis: AvisExpert) -> str:
    """Staff answer in /agents/, EPCI and partner users in /partenaires/."""
    if avis.expert.is_staff:
        return reverse("aides_instruction:avis", args=[avis.pk])
    return reverse("partenaires:avis", args=[avis.pk])


def _contexte(avis: AvisExpert) -> dict:
    return {
        "avis": avis,
        "demande": avis.demande,
        "lien_expert": lien_expert(avis),
        "lien_instruction": reverse("aides_instruction:demande", args=[avis.demande_id]),
    }


@transaction.atomic
def avis_demander(*, demande_id: int, par: User, expert: User, question: str, rendre_avant: date) -> AvisExpert:
    demande = Demande.objects.select_related("dispositif").get(pk=demande_id)
    if demande.est_brouillon or not peut(par, "demande", "instruire", cible=demande):
        raise ValidationError("Seul un instructeur demande un avis sur une demande déposée.")
    if not experts_possibles(pour=par).filter(pk=expert.pk).exists():
        raise ValidationError({"expert": "Choisissez un agent, un EPCI ou un partenaire actif (pas vous-même)."})
    if rendre_avant < timezone.localdate():
        raise ValidationError({"rendre_avant": "La date limite ne peut pas être passée."})
    avis = AvisExpert(
        demande=demande, demande_par=par, expert=expert, question=(question or "").strip(), rendre_avant=rendre_avant
    )
    avis.full_clean()
    avis.save()
    notification_creer(gabarit="avis_expert_demande", destinataire=expert, contexte=_contexte(avis))
    return avis


@transaction.atomic
def avis_rendre(*, avis_id: int, par: User, texte: str) -> AvisExpert:
    """The expert's answer, once: it is kept in the file as written."""
    avis = AvisExpert.objects.select_for_update().select_related("demande", "demande_par").get(pk=avis_id)
    if avis.expert_id != par.pk:
        raise ValidationError("Seul l'expert sollicité rend cet avis.")
    if avis.est_rendu:
        raise ValidationError("Cet avis a déjà été rendu : il ne se modifie plus.")
    texte = (texte or "").strip()
    if not texte:
        raise ValidationError({"avis": "Écrivez votre avis."})
    avis.avis, avis.rendu_le = texte, timezone.now()
    avis.full_clean()
    avis.save(update_fields=["avis", "rendu_le"])
    notification_creer(gabarit="avis_expert_rendu", destinataire=avis.demande_par, contexte=_contexte(avis))
    return avis


@une_fois_par_periode("avis-experts-rappeler", periode=periode_jour, rien=int)
def avis_rappeler(*, aujourd_hui: date | None = None) -> int:
    """Remind each expert whose opinion is due within JOURS_RAPPEL_AVIS days, once per opinion (claimed
    by a conditional update), once a day (the period's claim). Returns how many reminders were written."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    a_rappeler = AvisExpert.objects.en_attente().filter(
        rappel_envoye_le__isnull=True, rendre_avant__lte=aujourd_hui + timedelta(days=JOURS_RAPPEL_AVIS)
    )
    envoyes = 0
    for pk in list(a_rappeler.values_list("pk", flat=True)):
        if not AvisExpert.objects.filter(pk=pk, rappel_envoye_le__isnull=True).update(rappel_envoye_le=timezone.now()):
            continue  # another run reminded it
        avis = AvisExpert.objects.select_related("demande", "expert").get(pk=pk)
        notification_creer(gabarit="avis_expert_rappel", destinataire=avis.expert, contexte=_contexte(avis))
        envoyes += 1
    return envoyes
