"""The log of staff downloads of company documents (visible to administrators in the admin)."""

from .models import TelechargementAgent
from .reseau import adresse_client


def telechargement_journaliser(request, *, objet: str, objet_id, nom_fichier: str, siren: str = "") -> None:
    """Record that the logged-in agent downloads this document now (companies' own downloads are not
    logged: they are theirs)."""
    if not request.user.is_staff:
        return
    TelechargementAgent.objects.create(
        agent=request.user,
        objet=objet,
        objet_id=str(objet_id),
        nom_fichier=nom_fichier[:255],
        entreprise=siren or "",
        adresse=adresse_client(request),
    )
