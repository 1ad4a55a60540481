"""Applications in the CRM company timeline (registered in AidesConfig.ready())."""

from django.urls import reverse

from crm.timeline import Evenement
from portal.templatetags.portail import format_euros

from .models import Demande, Statut


def evenements_demandes(entreprise) -> list[Evenement]:
    """One event per deposit and one per decision; a single query."""
    evenements = []
    demandes = (
        Demande.objects.deposees().filter(etablissement__entreprise=entreprise).select_related("dispositif__direction")
    )
    for demande in demandes:
        url = reverse("aides_instruction:demande", args=[demande.pk])
        direction = [demande.dispositif.direction.code]
        evenements.append(
            Evenement(
                quand=demande.depose_le,
                genre="demande",
                libelle="Demande déposée",
                titre=f"{demande.numero_depot} – {demande.dispositif.nom} ({format_euros(demande.montant_demande)})",
                url=url,
                directions=direction,
                resume=demande.intitule,
                objet=demande,
            )
        )
        if demande.est_decidee and demande.decidee_le:
            montant = f" : {format_euros(demande.montant_accorde)}" if demande.statut == Statut.ACCORDEE else ""
            evenements.append(
                Evenement(
                    quand=demande.decidee_le,
                    genre="demande",
                    libelle=f"Décision : {demande.get_statut_display().lower()}",
                    titre=f"{demande.numero_depot} – {demande.dispositif.nom}{montant}",
                    url=url,
                    directions=direction,
                    resume=demande.motif_decision,
                    objet=demande,
                )
            )
    return evenements
