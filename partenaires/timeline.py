"""Referrals to partners in the CRM company timeline (registered in PartenairesConfig.ready())."""

from django.urls import reverse

from crm.timeline import Evenement, Jalon, evenements_aller_retour

from .models import Orientation


def orientations_entreprise(entreprise) -> list[Evenement]:
    """One event per referral, and one per partner answer; a single query."""
    return evenements_aller_retour(
        Orientation.objects.filter(sollicitation__entreprise=entreprise).select_related(
            "structure", "repondue_par", "sollicitation__direction"
        ),
        genre="orientation",
        url=lambda orientation: reverse("crm_agents:sollicitation", args=[orientation.sollicitation_id]),
        directions=lambda orientation: [orientation.sollicitation.direction.code],
        depart=_transmission,
        retour=_reponse,
    )


def _transmission(orientation: Orientation) -> Jalon:
    return Jalon(
        orientation.cree_le,
        "Réorientée vers un partenaire",
        f"Demande transmise à {orientation.structure}",
        resume=orientation.motif,
    )


def _reponse(orientation: Orientation) -> Jalon | None:
    if not orientation.repondue:
        return None
    reponse = orientation.get_statut_display()
    return Jalon(
        orientation.repondue_le,
        f"Réponse du partenaire : {reponse.lower()}",
        f"{orientation.structure} : {reponse}",
        resume=orientation.note,
        personnes=[str(orientation.repondue_par)] if orientation.repondue_par else [],
    )
