from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aides.conventions.models.convention import (
    ConventionAide,
    Etape,
)
from aides.conventions.services.convention.circuit import _etape, _verrouiller, date_fr
from aides.conventions.services.convention.destinataires import _notifier, destinataires_entreprise, destinataires_saf
from portal.models import User
from portal.periodes import jour_iso, periode_reclamer
from portal.roles import Role
from portal.services import notification_creer

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
