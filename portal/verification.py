"""The one check of an uploaded file, by its content (magic bytes), before anything is stored.

Every upload of the product (applications' documents, convention proofs, payment proofs, EPCI
convention documents…) goes through `fichier_verifier`: the content decides the type, never the name
(a renamed executable or a macro-enabled Office file is refused), the size is the size really sent
(see portal.televersement), a PDF-only upload must be a whole PDF (header and end-of-file marker),
and every refusal is a French message saying what to do. The name typed by the user is kept for
display only (sanitised); the stored file gets a name chosen by the server.
"""

import hashlib
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# Detected type → (MIME type, extensions accepted for it)
TYPES_AUTORISES: dict[str, tuple[str, set[str]]] = {
    "pdf": ("application/pdf", {".pdf"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "png": ("image/png", {".png"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}),
    "odt": ("application/vnd.oasis.opendocument.text", {".odt"}),
}
FORMATS_LISIBLES = "PDF, JPEG, PNG, XLSX, DOCX ou ODT"
PDF_SEUL = frozenset({"pdf"})
OCTETS_ENTETE = 8192
FIN_PDF = b"%%EOF"

# Macro-enabled Office documents (docm, xlsm, pptm, or a docx/xlsx renamed that carries a VBA project)
# and OpenDocument files with Basic or script macros: refused whatever their name.
TYPES_MACROS = (
    b"macroEnabled",
    b"vnd.ms-office.vbaProject",
    b"vnd.ms-word.vbaData",
)
MACRO = "macro"


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


def _contient_des_macros(archive: zipfile.ZipFile, noms: set[str]) -> bool:
    if any(PurePosixPath(nom).name.lower() in {"vbaproject.bin", "vbadata.xml"} for nom in noms):
        return True
    if any(nom.startswith(("Basic/", "Scripts/")) for nom in noms):
        return True
    if "[Content_Types].xml" in noms:
        types = archive.read("[Content_Types].xml")
        return any(marque.lower() in types.lower() for marque in TYPES_MACROS)
    return False


def _type_zip(fichier: UploadedFile) -> str | None:
    """Office files are ZIP archives: tell them apart by their manifest entries."""
    fichier.seek(0)
    try:
        with zipfile.ZipFile(fichier) as archive:
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
        fichier.seek(0)
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


def _lire(fichier: UploadedFile) -> tuple[str, bool]:
    """One pass over the content: its SHA-256, and whether it holds a PDF end-of-file marker."""
    empreinte, fin_trouvee, reste = hashlib.sha256(), False, b""
    fichier.seek(0)
    for morceau in fichier.chunks():
        empreinte.update(morceau)
        fin_trouvee = fin_trouvee or FIN_PDF in reste + morceau
        reste = morceau[-len(FIN_PDF) :]
    fichier.seek(0)
    return empreinte.hexdigest(), fin_trouvee


def _refuser_nom_et_taille(fichier: UploadedFile, nom_brut: str, nom: str) -> int:
    if "/" in nom_brut or "\\" in nom_brut or ".." in PurePosixPath(nom_brut.replace("\\", "/")).parts:
        raise ValidationError(
            "Le nom du fichier « %(nom)s » n'est pas valide : il ne doit pas contenir de chemin. "
            "Renommez le fichier puis déposez-le à nouveau.",
            code="nom",
            params={"nom": nom},
        )
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
    return taille


def _refuser_type(genre: str | None, nom: str, formats: frozenset[str]) -> None:
    if genre == MACRO:
        raise ValidationError(
            "Le fichier « %(nom)s » contient des macros : elles ne sont pas acceptées. Enregistrez-le sans "
            "macro (par exemple en .docx, .xlsx ou PDF) puis déposez-le à nouveau.",
            code="macro",
            params={"nom": nom},
        )
    if formats == PDF_SEUL and genre != "pdf":
        raise ValidationError(
            "Ce fichier n'est pas un PDF (son contenu a été vérifié, quel que soit son nom). "
            "Enregistrez le document au format PDF puis déposez-le à nouveau.",
            code="type",
        )
    if genre is None or genre not in formats:
        raise ValidationError(
            "Le fichier « %(nom)s » n'est pas d'un format accepté (son contenu a été vérifié). "
            "Formats acceptés : %(formats)s.",
            code="type",
            params={"nom": nom, "formats": FORMATS_LISIBLES},
        )
    extensions = TYPES_AUTORISES[genre][1]
    if PurePosixPath(nom).suffix.lower() not in extensions:
        raise ValidationError(
            "Le nom du fichier « %(nom)s » ne correspond pas à son contenu (%(genre)s) : "
            "son nom doit finir par %(attendu)s.",
            code="extension",
            params={"nom": nom, "genre": genre.upper(), "attendu": " ou ".join(sorted(extensions))},
        )


def fichier_verifier(fichier: UploadedFile, *, formats: Iterable[str] = TYPES_AUTORISES) -> FichierVerifie:
    """Check an upload against the accepted `formats` (keys of TYPES_AUTORISES; PDF_SEUL for signed
    documents); raise ValidationError with a French message saying what to do."""
    formats = frozenset(formats)
    nom_brut = fichier.name or ""
    nom = nom_assaini(nom_brut)
    taille = _refuser_nom_et_taille(fichier, nom_brut, nom)
    genre = type_detecte(fichier)
    _refuser_type(genre, nom, formats)
    sha256, fin_pdf = _lire(fichier)
    # A PDF-only upload is a document of record (a signed convention): a truncated one is refused.
    if formats == PDF_SEUL and not fin_pdf:
        raise ValidationError(
            "Le PDF « %(nom)s » est incomplet ou endommagé (sa fin manque). Enregistrez-le à nouveau puis déposez-le.",
            code="pdf_incomplet",
            params={"nom": nom},
        )
    return FichierVerifie(
        fichier=fichier, nom_original=nom, taille=taille, type_mime=TYPES_AUTORISES[genre][0], sha256=sha256
    )
