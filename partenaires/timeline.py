"""Referrals to partners in the CRM company timeline (registered in PartenairesConfig.ready())."""

from django.urls import reverse

from crm.timeline import Evenement

from .models import Orientation


def orientations_entreprise(entreprise) -> list[Evenement]:
    """One event per referral, and one per partner answer; a single query."""
    evenements = []
    orientations = Orientation.objects.filter(sollicitation__entreprise=entreprise).select_related(
        "structure", "repondue_par", "sollicitation__direction"
    )
    for orientation in orientations:
        url = reverse("crm_agents:sollicitation", args=[orientation.sollicitation_id])
        direction = [orientation.sollicitation.direction.code]
        evenements.append(
            Evenement(
                quand=orientation.cree_le,
                genre="orientation",
                libelle="Réorientée vers un partenaire",
                titre=f"Demande transmise à {orientation.structure}",
                url=url,
                directions=direction,
                resume=orientation.motif,
                objet=orientation,
            )
        )
        if orientation.repondue:
            evenements.append(
                Evenement(
                    quand=orientation.repondue_le,
                    genre="orientation",
                    libelle=f"Réponse du partenaire : {orientation.get_statut_display().lower()}",
                    titre=f"{orientation.structure} : {orientation.get_statut_display()}",
                    url=url,
                    directions=direction,
                    personnes=[str(orientation.repondue_par)] if orientation.repondue_par else [],
                    resume=orientation.note,
                    objet=orientation,
                )
            )
    return evenements
