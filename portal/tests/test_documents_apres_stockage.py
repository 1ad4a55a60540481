"""A kind's follow-up once its rendered file is stored (`apres_stockage`, e.g. a convention's first
version moves it to « éditée »): it commits with the stored document, or neither does."""

import pytest

from portal.documents import GENRES, document_demander, document_generer, genre_enregistrer
from portal.models import Document

pytestmark = pytest.mark.django_db

GENRE = "essai.suite"


@pytest.fixture
def suites(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vus = []

    def suite(document: Document) -> None:
        vus.append(Document.objects.get(pk=document.pk).statut)  # what the follow-up sees, in the transaction
        if len(vus) == 1:
            raise OSError("verrou indisponible")

    genre_enregistrer(
        GENRE,
        generer=lambda document: b"%PDF-1.4 suite",
        lisible=lambda request, document: False,
        url_fichier=lambda document: "/",
        apres_stockage=suite,
    )
    yield vus
    del GENRES[GENRE]


def test_a_failing_follow_up_leaves_no_stored_file_and_the_retry_stores_it_with_its_follow_up(suites):
    stockage = Document._meta.get_field("fichier").storage
    document, _ = document_demander(genre=GENRE)
    with pytest.raises(OSError, match="verrou"):
        document_generer(document_id=str(document.pk))
    document.refresh_from_db()
    assert document.statut == Document.Statut.EN_COURS and not document.fichier  # rolled back: the job retries
    assert stockage.listdir("documents/essai-suite")[1] == []

    assert document_generer(document_id=str(document.pk)) is True
    document.refresh_from_db()
    assert suites == [Document.Statut.PRET, Document.Statut.PRET]  # the follow-up sees the stored document
    assert document.pret and document.fichier.read() == b"%PDF-1.4 suite"
    assert stockage.listdir("documents/essai-suite")[1] == [document.fichier.name.rsplit("/", 1)[1]]
