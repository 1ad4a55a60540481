"""What an agent keeps of the instruction inbox: named filters (theirs only) and exports of the
filtered applications with every answer of their forms (a portal.Document rendered in the
background: aides.demandes.export)."""

import hashlib
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from aides.demandes.filters import requete_boite
from aides.demandes.models.filtres import ExportDemandes, FiltreEnregistre
from portal.documents import document_demander, documents_supprimer
from portal.models import Document, User
from portal.permissions import peut

FILTRES_MAX = 30
# An export holds company data: kept a week for its agent to download, then deleted with its file.
EXPORTS_JOURS = 7
# One kind of document per format (each its extension and MIME type), registered in aides/apps.py.
GENRES_EXPORT = {"xlsx": "aides.export_demandes_xlsx", "csv": "aides.export_demandes_csv"}


def _exiger_lecteur(par: User) -> None:
    if not peut(par, "demande", "lire"):
        raise PermissionDenied("Votre rôle ne permet pas de lire les demandes.")


@transaction.atomic
def filtre_enregistrer(*, agent: User, nom: str, requete: str) -> FiltreEnregistre:
    """Keep the inbox's current criteria under a name of this agent's (unique for them, whatever
    the case)."""
    _exiger_lecteur(agent)
    nom = " ".join((nom or "").split())
    if not nom:
        raise ValidationError({"nom": "Donnez un nom au filtre."})
    if FiltreEnregistre.objects.filter(agent=agent, nom__iexact=nom).exists():
        raise ValidationError({"nom": f"Vous avez déjà un filtre nommé « {nom} » : choisissez un autre nom."})
    if FiltreEnregistre.objects.filter(agent=agent).count() >= FILTRES_MAX:
        raise ValidationError({"nom": f"Vous avez déjà {FILTRES_MAX} filtres : supprimez-en un d'abord."})
    filtre = FiltreEnregistre(agent=agent, nom=nom, requete=requete_boite(QueryDict(requete)))
    filtre.full_clean()
    try:
        with transaction.atomic():
            filtre.save()
    except IntegrityError:  # the same name saved in another tab meanwhile
        raise ValidationError({"nom": f"Vous avez déjà un filtre nommé « {nom} » : choisissez un autre nom."}) from None
    return filtre


@transaction.atomic
def filtre_supprimer(*, filtre: FiltreEnregistre, par: User) -> None:
    if filtre.agent_id != par.pk:
        raise PermissionDenied("Ce filtre n'est pas le vôtre.")
    filtre.delete()


@transaction.atomic
def export_demander(*, par: User, requete: str, format: str) -> ExportDemandes:
    """Ask for the export of the inbox filtered by `requete`, in `format`, rendered in the
    background; a second click while it is being prepared gets the same one."""
    _exiger_lecteur(par)
    if format not in ExportDemandes.Format.values:
        raise ValidationError({"format": "Choisissez le format XLSX ou CSV."})
    requete = requete_boite(QueryDict(requete))
    cle = f"{par.pk}:{format}:{hashlib.sha256(requete.encode()).hexdigest()[:32]}"
    document, cree = document_demander(genre=GENRES_EXPORT[format], cle=cle, par=par)
    if not cree:
        return document.export_demandes
    export = ExportDemandes(document=document, demande_par=par, format=format, requete=requete)
    export.full_clean()
    export.save()
    return export


def exports_purger(*, jours: int = EXPORTS_JOURS) -> int:
    """Delete the exports asked more than `jours` days ago, their files included; return how many."""
    limite = timezone.now() - timedelta(days=jours)
    return documents_supprimer(Document.objects.filter(export_demandes__cree_le__lt=limite))
