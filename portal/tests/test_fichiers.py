import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from portal.fichiers import enregistrer_avec_fichier
from territoires.models import PieceConvention


def test_a_refused_row_leaves_no_file_behind():
    piece = PieceConvention(nom_original="convention.pdf", taille=9, sha256="0" * 64)  # no convention: refused
    avant = set(default_storage.listdir("conventions")[1]) if default_storage.exists("conventions") else set()

    with pytest.raises(ValidationError):
        enregistrer_avec_fichier(piece, nom="piece.pdf", contenu=ContentFile(b"%PDF-1.4\n"))

    apres = set(default_storage.listdir("conventions")[1]) if default_storage.exists("conventions") else set()
    assert apres == avant
