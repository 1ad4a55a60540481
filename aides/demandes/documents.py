"""Documents of applications: files waiting for their form, and the download of a stored document.

Uploads are checked by `portal.verification.fichier_verifier` (content, size, name); the file on disk
is demandes/<uuid>.<ext> in the storage (disk or S3), outside static/.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from portal.fichiers import reponse_fichier
from portal.verification import FichierVerifie

# --- Files waiting for their form ------------------------------------------------------------------
# A checked file sent with a form that is refused for another reason (another file, a missing text)
# is kept on disk, outside any application, and listed on the re-displayed form: the user does not
# choose it again. The form carries the list, signed for that form (application and user), in a
# hidden field; files older than a day are no longer accepted (and are left for a purge).

DOSSIER_ATTENTE = "en-attente"
SEL_ATTENTE = "aides.demandes.documents.en-attente"
VALIDITE_ATTENTE = timedelta(days=1)


@dataclass
class FichierEnAttente:
    chemin: str
    nom_original: str
    taille: int
    type_mime: str
    sha256: str

    def verifie(self) -> FichierVerifie:
        """The stored file, as if just uploaded and checked (for piece_ajouter)."""
        return FichierVerifie(
            fichier=File(default_storage.open(self.chemin, "rb"), name=self.nom_original),
            nom_original=self.nom_original,
            taille=self.taille,
            type_mime=self.type_mime,
            sha256=self.sha256,
        )


def fichier_mettre_en_attente(verifie: FichierVerifie) -> FichierEnAttente:
    extension = PurePosixPath(verifie.nom_original).suffix.lower()[:8]
    verifie.fichier.seek(0)
    chemin = default_storage.save(f"{DOSSIER_ATTENTE}/{uuid.uuid4().hex}{extension}", verifie.fichier)
    return FichierEnAttente(
        chemin=chemin,
        nom_original=verifie.nom_original,
        taille=verifie.taille,
        type_mime=verifie.type_mime,
        sha256=verifie.sha256,
    )


def fichiers_en_attente_signer(fichiers: list[FichierEnAttente], *, cle: str) -> str:
    if not fichiers:
        return ""
    return signing.dumps([vars(f) for f in fichiers], salt=f"{SEL_ATTENTE}:{cle}", compress=True)


def fichiers_en_attente_lire(jeton: str, *, cle: str) -> list[FichierEnAttente]:
    """The files listed by a form's signed value; a forged, expired or used list gives nothing."""
    if not jeton:
        return []
    try:
        liste = signing.loads(jeton, salt=f"{SEL_ATTENTE}:{cle}", max_age=VALIDITE_ATTENTE)
        fichiers = [FichierEnAttente(**infos) for infos in liste]
    except (signing.BadSignature, TypeError, ValueError):
        return []
    return [
        f
        for f in fichiers
        if f.chemin.startswith(f"{DOSSIER_ATTENTE}/") and ".." not in f.chemin and default_storage.exists(f.chemin)
    ]


def fichiers_en_attente_supprimer(fichiers: list[FichierEnAttente]) -> None:
    for fichier in fichiers:
        default_storage.delete(fichier.chemin)


def fichiers_en_attente_purger(*, plus_vieux_que: timedelta = VALIDITE_ATTENTE) -> int:
    """Delete the waiting files of forms never sent again (no signed list accepts them any more)."""

    try:
        noms = default_storage.listdir(DOSSIER_ATTENTE)[1]
    except FileNotFoundError:  # on disk, the folder is made by the first waiting file
        return 0
    limite = timezone.now() - plus_vieux_que
    supprimes = 0
    for nom in noms:
        chemin = f"{DOSSIER_ATTENTE}/{nom}"
        if default_storage.get_modified_time(chemin) < limite:
            default_storage.delete(chemin)
            supprimes += 1
    return supprimes


def reponse_telechargement(request, piece):
    """Serve a stored document as an attachment, with its original (sanitised) name."""

    return reponse_fichier(request, piece.fichier, nom=piece.nom_original, type_mime=piece.type_mime)
