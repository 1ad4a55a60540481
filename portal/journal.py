"""Logs: the log of staff downloads of company documents (visible to administrators in the admin),
and what `make run` and the servers print, without noise."""

import logging

from .reseau import adresse_client


def telechargement_journaliser(request, *, objet: str, objet_id, nom_fichier: str, siren: str = "") -> None:
    """Record that the logged-in agent downloads this document now (companies' own downloads are not
    logged: they are theirs)."""
    from .models import TelechargementAgent  # this module is read by the LOGGING setting, before the apps

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


class SansTraceSous500(logging.Filter):
    """Drop the traceback of a 4xx logged by `django.request` (403, 400): one line is enough.

    A 403 is an expected answer (an outsider, a missing role), not a fault; a 500 keeps its trace.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        statut = getattr(record, "status_code", None)
        if statut is not None and statut < 500:
            record.exc_info = None
            record.exc_text = None
        return True
