"""Referrals to partners in the CRM company timeline (registered in PartenairesConfig.ready())."""

from django.urls import reverse

from crm.timeline import Evenement, evenements_aller_retour

from .models import Orientation


def orientations_entreprise(entreprise) -> list[Evenement]:
    """One event per referral, and one per partner answer; a single query."""
    evenements = []
    orientations = Orientation.objects.filter(sollicitation__entreprise=entreprise).select_related(
        "structure", "repondue_par", "sollicitation__direction"
    )
    for orientation in orientations:
        reponse = orientation.get_statut_display()
        evenements += evenements_aller_retour(
            orientation,
            genre="orientation",
            url=reverse("crm_agents:sollicitation", args=[orientation.sollicitation_id]),
            directions=[orientation.sollicitation.direction.code],
            depart={
                "quand": orientation.cree_le,
                "libelle": "Réorientée vers un partenaire",
                "titre": f"Demande transmise à {orientation.structure}",
                "resume": orientation.motif,
            },
            retour={
                "quand": orientation.repondue_le,
                "libelle": f"Réponse du partenaire : {reponse.lower()}",
                "titre": f"{orientation.structure} : {reponse}",
                "personnes": [str(orientation.repondue_par)] if orientation.repondue_par else [],
                "resume": orientation.note,
            }
            if orientation.repondue
            else None,
        )
    return evenements
