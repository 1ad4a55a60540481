"""Data migrations that move an owner row's file (and generation state) into a portal.Document.

Used by the migrations of the apps whose rows rendered their own PDFs (parcours' summaries, project
reviews' documents, steering reports: `vers_documents`) or kept an uploaded file in their own
FileField (`fichiers_vers_documents`). The stored files stay where they are: the Document takes the
same name in the storage (a reference is copied, no byte moves, no file is lost), and the reverse
copies everything back, so the migration can be unapplied.
"""

import hashlib
import mimetypes
from collections.abc import Mapping
from datetime import datetime, time

from django.utils import timezone

# Old owner field → Document field (the owner's file, hash, error and « ready » date).
CHAMPS = {"fichier": "fichier", "sha256": "sha256", "erreur": "erreur"}


def _valeurs(ligne, champs: Mapping[str, str]) -> dict:
    """The fields to copy; a file is copied as its name in the storage (the same stored file)."""
    valeurs = {cible: getattr(ligne, source) for source, cible in champs.items()}
    return {
        champ: getattr(valeur, "name", valeur) or "" if champ == "fichier" else valeur
        for champ, valeur in valeurs.items()
    }


def vers_documents(apps, *, modele: str, genre: str, pret_le: str, statuts: Mapping[str, str] | None = None) -> int:
    """Give every row of `modele` (« app.Modele ») that has no document yet one Document with its file,
    state (`statuts` maps the owner's state values to the Document's), hash, error and dates."""
    Document = apps.get_model("portal", "Document")
    Proprietaire = apps.get_model(*modele.split("."))
    statuts = statuts or {}
    nombre = 0
    for ligne in Proprietaire.objects.filter(document__isnull=True).iterator():
        document = Document.objects.create(
            genre=genre,
            statut=statuts.get(ligne.statut, ligne.statut),
            cree_le=ligne.cree_le,
            pret_le=getattr(ligne, pret_le),
            demande_par_id=getattr(ligne, "demande_par_id", None),
            **_valeurs(ligne, CHAMPS),
        )
        Proprietaire.objects.filter(pk=ligne.pk).update(document=document)
        nombre += 1
    return nombre


def depuis_documents(
    apps, *, modele: str, pret_le: str, statuts: Mapping[str, str] | None = None, demande_par: bool = False
) -> int:
    """The reverse: copy each document's file, state, hash, error and dates back onto its owner row."""
    Proprietaire = apps.get_model(*modele.split("."))
    inverses = {cible: source for source, cible in (statuts or {}).items()}
    nombre = 0
    for ligne in Proprietaire.objects.filter(document__isnull=False).select_related("document").iterator():
        document = ligne.document
        valeurs = _valeurs(document, {cible: source for source, cible in CHAMPS.items()})
        valeurs["statut"] = inverses.get(document.statut, document.statut)
        valeurs[pret_le] = document.pret_le
        valeurs["cree_le"] = document.cree_le
        if demande_par:
            valeurs["demande_par_id"] = document.demande_par_id
        Proprietaire.objects.filter(pk=ligne.pk).update(**valeurs, document=None)
        document.delete()
        nombre += 1
    return nombre


def fichiers_vers_documents(
    apps, *, modele: str, genre: str, champ: str = "fichier", cible: str = "document", date: str = "cree_le"
) -> int:
    """Give every row of `modele` whose uploaded file sits in its own FileField `champ` a « prêt »
    Document (field `cible`) holding the same stored file: its size, type and SHA-256 are read from
    the storage. A file missing from the storage becomes a Document « échec » that says so (nothing
    is invented). `date` names the row's upload date (a date or a datetime; empty: now)."""
    Document = apps.get_model("portal", "Document")
    Proprietaire = apps.get_model(*modele.split("."))
    nombre = 0
    lignes = Proprietaire.objects.exclude(**{champ: ""}).filter(**{champ + "__isnull": False, cible: None})
    for ligne in lignes.iterator():
        fichier = getattr(ligne, champ)
        depose_le = getattr(ligne, date) or timezone.now()  # a draft's upload has no date: the migration's
        if not isinstance(depose_le, datetime):  # a DateField: that day's start, in the project's time zone
            depose_le = timezone.make_aware(datetime.combine(depose_le, time.min))
        valeurs = {"genre": genre, "fichier": fichier.name, "cree_le": depose_le}
        try:
            empreinte, taille = hashlib.sha256(), 0
            with fichier.storage.open(fichier.name, "rb") as flux:
                for morceau in iter(lambda: flux.read(1 << 20), b""):
                    empreinte.update(morceau)
                    taille += len(morceau)
            valeurs.update(statut="pret", pret_le=depose_le, sha256=empreinte.hexdigest(), taille=taille)
        except FileNotFoundError:
            valeurs.update(statut="echec", erreur="Fichier absent du stockage lors de la reprise des fichiers.")
        valeurs["type_mime"] = mimetypes.guess_type(fichier.name)[0] or "application/octet-stream"
        document = Document.objects.create(**valeurs)
        Proprietaire.objects.filter(pk=ligne.pk).update(**{cible: document})
        nombre += 1
    return nombre


def documents_vers_fichiers(apps, *, modele: str, champ: str = "fichier", cible: str = "document") -> int:
    """The reverse: the stored file's name goes back into the row's own FileField; the Documents go
    (their files stay: they are the rows' files again)."""
    Document = apps.get_model("portal", "Document")
    Proprietaire = apps.get_model(*modele.split("."))
    nombre = 0
    for ligne in Proprietaire.objects.filter(**{cible + "__isnull": False}).select_related(cible).iterator():
        document = getattr(ligne, cible)
        Proprietaire.objects.filter(pk=ligne.pk).update(**{champ: document.fichier.name, cible: None})
        Document.objects.filter(pk=document.pk).delete()
        nombre += 1
    return nombre
