"""PDF documents of EPCI conventions: checked by content (magic bytes), stored under generated names.

`territoires` cannot import aides (DESIGN.md §3), so this is a small PDF-only check of its own, with
the same rules as applications' uploads: the content decides, not the name; at most UPLOAD_MAX_BYTES.
"""

import hashlib
import unicodedata
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

OCTETS_ENTETE = 8192


def taille_lisible(octets: int) -> str:
    if octets >= 1024 * 1024:
        return f"{octets / (1024 * 1024):.0f} Mo"
    return f"{max(1, octets // 1024)} Ko"


def nom_assaini(nom: str) -> str:
    """The name to display: no path, no control character, at most 200 characters."""
    nom = unicodedata.normalize("NFC", nom or "")
    nom = "".join(c for c in nom if c.isprintable() and c not in '<>:"|?*')
    nom = PurePosixPath(nom.replace("\\", "/")).name.strip(" .")
    if len(nom) > 200:
        nom = nom[:196] + ".pdf"
    return nom or "document.pdf"


def pdf_verifier(fichier: UploadedFile) -> tuple[int, str]:
    """Raise a French ValidationError unless `fichier` is a PDF within the size limit; return (size, sha256)."""
    maximum = int(settings.UPLOAD_MAX_BYTES)
    if fichier.size == 0:
        raise ValidationError("Le fichier est vide.", code="vide")
    if fichier.size > maximum:
        raise ValidationError(
            "Le fichier pèse %(taille)s : la taille maximale est de %(max)s.",
            code="trop_gros",
            params={"taille": taille_lisible(fichier.size), "max": taille_lisible(maximum)},
        )
    fichier.seek(0)
    entete = fichier.read(OCTETS_ENTETE)
    fichier.seek(0)
    genre = filetype.guess(entete)
    if not entete.startswith(b"%PDF-") or genre is None or genre.extension != "pdf":
        raise ValidationError(
            "Ce fichier n'est pas un PDF (son contenu a été vérifié, quel que soit son nom). "
            "Enregistrez le document au format PDF puis déposez-le à nouveau.",
            code="pas_pdf",
        )
    empreinte = hashlib.sha256()
    for morceau in fichier.chunks():
        empreinte.update(morceau)
    fichier.seek(0)
    return fichier.size, empreinte.hexdigest()
