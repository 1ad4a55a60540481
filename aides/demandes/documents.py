"""Uploaded documents: checked by their content (magic bytes), stored under generated names, served
only through views that check who asks.

The name typed by the user is kept for display only (sanitised); the file on disk is
demandes/<uuid>.<ext> in the storage (disk or S3), outside static/.
"""

import hashlib
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

# Detected type → (MIME type, extensions accepted for it, label for messages)
TYPES_AUTORISES: dict[str, tuple[str, set[str]]] = {
    "pdf": ("application/pdf", {".pdf"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "png": ("image/png", {".png"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}),
    "odt": ("application/vnd.oasis.opendocument.text", {".odt"}),
}
FORMATS_LISIBLES = "PDF, JPEG, PNG, XLSX, DOCX ou ODT"
OCTETS_ENTETE = 8192


@dataclass
class FichierVerifie:
    fichier: UploadedFile
    nom_original: str
    taille: int
    type_mime: str
    sha256: str


def taille_maximale() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def taille_lisible(octets: int) -> str:
    if octets >= 1024 * 1024:
        return f"{octets / (1024 * 1024):.0f} Mo".replace(".", ",")
    return f"{max(1, octets // 1024)} Ko"


def nom_assaini(nom: str) -> str:
    """The name to display: no path, no control character, at most 200 characters."""
    nom = unicodedata.normalize("NFC", nom or "")
    nom = "".join(c for c in nom if c.isprintable() and c not in '<>:"|?*')
    nom = PurePosixPath(nom.replace("\\", "/")).name.strip(" .")
    if len(nom) > 200:
        suffixe = PurePosixPath(nom).suffix[:10]
        nom = nom[: 200 - len(suffixe)] + suffixe
    return nom or "document"


# Macro-enabled Office documents (docm, xlsm, pptm, or a docx/xlsx renamed that carries a VBA project)
# and OpenDocument files with Basic or script macros: refused whatever their name.
TYPES_MACROS = (
    b"macroEnabled",
    b"vnd.ms-office.vbaProject",
    b"vnd.ms-word.vbaData",
)
MACRO = "macro"


def _contient_des_macros(archive: zipfile.ZipFile, noms: set[str]) -> bool:
    if any(PurePosixPath(nom).name.lower() in {"vbaproject.bin", "vbadata.xml"} for nom in noms):
        return True
    if any(nom.startswith(("Basic/", "Scripts/")) for nom in noms):
        return True
    if "[Content_Types].xml" in noms:
        types = archive.read("[Content_Types].xml")
        return any(marque.lower() in types.lower() for marque in TYPES_MACROS)
    return False


def _type_zip(entete_et_fichier: UploadedFile) -> str | None:
    """Office files are ZIP archives: tell them apart by their manifest entries."""
    entete_et_fichier.seek(0)
    try:
        with zipfile.ZipFile(entete_et_fichier) as archive:
            noms = set(archive.namelist())
            if _contient_des_macros(archive, noms):
                return MACRO
            if "mimetype" in noms and archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text":
                return "odt"
            if "[Content_Types].xml" in noms:
                if "word/document.xml" in noms:
                    return "docx"
                if "xl/workbook.xml" in noms:
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        entete_et_fichier.seek(0)
    return None


def type_detecte(fichier: UploadedFile) -> str | None:
    """The allowed type of the content, or None. The name plays no part."""
    fichier.seek(0)
    entete = fichier.read(OCTETS_ENTETE)
    fichier.seek(0)
    if entete.startswith(b"%PDF-"):
        return "pdf"
    genre = filetype.guess(entete)
    if genre is None:
        return None
    if genre.extension == "jpg":
        return "jpeg"
    if genre.extension == "png":
        return "png"
    if genre.extension in {"zip", "docx", "xlsx", "odt"}:
        return _type_zip(fichier)
    return None


def fichier_verifier(fichier: UploadedFile) -> FichierVerifie:
    """Check an upload; raise ValidationError with a French message saying what to do."""
    nom_brut = fichier.name or ""
    if "/" in nom_brut or "\\" in nom_brut or ".." in PurePosixPath(nom_brut.replace("\\", "/")).parts:
        raise ValidationError(
            "Le nom du fichier « %(nom)s » n'est pas valide : il ne doit pas contenir de chemin. "
            "Renommez le fichier puis déposez-le à nouveau.",
            code="nom",
            params={"nom": nom_assaini(nom_brut)},
        )
    nom = nom_assaini(nom_brut)
    # Past UPLOAD_MAX_BYTES the upload handler (portal.televersement) stores no more of the file but
    # counts the rest: `taille_reelle` is the size sent, the stored content is truncated.
    taille = getattr(fichier, "taille_reelle", None) or fichier.size or 0
    if taille == 0:
        raise ValidationError(
            "Le fichier « %(nom)s » est vide. Choisissez le bon fichier.", code="vide", params={"nom": nom}
        )
    if taille > taille_maximale() or getattr(fichier, "trop_volumineux", False):
        raise ValidationError(
            "Le fichier « %(nom)s » pèse %(taille)s : la taille maximale est de %(max)s par fichier.",
            code="taille",
            params={"nom": nom, "taille": taille_lisible(taille), "max": taille_lisible(taille_maximale())},
        )
    genre = type_detecte(fichier)
    if genre == MACRO:
        raise ValidationError(
            "Le fichier « %(nom)s » contient des macros : elles ne sont pas acceptées. Enregistrez-le sans "
            "macro (par exemple en .docx, .xlsx ou PDF) puis déposez-le à nouveau.",
            code="macro",
            params={"nom": nom},
        )
    if genre is None:
        raise ValidationError(
            "Le fichier « %(nom)s » n'est pas d'un format accepté (son contenu a été vérifié). "
            "Formats acceptés : %(formats)s.",
            code="type",
            params={"nom": nom, "formats": FORMATS_LISIBLES},
        )
    type_mime, extensions = TYPES_AUTORISES[genre]
    extension = PurePosixPath(nom).suffix.lower()
    if extension not in extensions:
        raise ValidationError(
            "Le nom du fichier « %(nom)s » ne correspond pas à son contenu (%(genre)s) : "
            "son nom doit finir par %(attendu)s.",
            code="extension",
            params={"nom": nom, "genre": genre.upper(), "attendu": " ou ".join(sorted(extensions))},
        )
    empreinte = hashlib.sha256()
    fichier.seek(0)
    for morceau in fichier.chunks():
        empreinte.update(morceau)
    fichier.seek(0)
    return FichierVerifie(
        fichier=fichier, nom_original=nom, taille=taille, type_mime=type_mime, sha256=empreinte.hexdigest()
    )


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
    from django.utils import timezone

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
    from portal.fichiers import reponse_fichier

    return reponse_fichier(request, piece.fichier, nom=piece.nom_original, type_mime=piece.type_mime)
