import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from portal.fichiers import enregistrer_avec_fichier
from portal.models import Document

DOSSIER = "documents/essai-refus"


@pytest.mark.django_db
def test_a_refused_row_leaves_no_file_behind():
    document = Document(genre="essai.refus", statut=Document.Statut.PRET)  # ready without hash nor date: refused
    avant = set(default_storage.listdir(DOSSIER)[1]) if default_storage.exists(DOSSIER) else set()

    with pytest.raises(ValidationError):
        enregistrer_avec_fichier(document, nom="piece.pdf", contenu=ContentFile(b"%PDF-1.4\n"))

    apres = set(default_storage.listdir(DOSSIER)[1]) if default_storage.exists(DOSSIER) else set()
    assert apres == avant
