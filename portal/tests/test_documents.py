"""The one generated-document model (portal.Document, portal.documents): state machine, double click,
retries by the job's sweep, the one status endpoint and its access rule, the server-chosen name."""

import hashlib

import pytest
from django.db import transaction
from django.urls import reverse

from portal.documents import GENRES, document_demander, document_generer, document_progression, genre_enregistrer
from portal.models import Document, Travail
from portal.travaux import travail_executer

pytestmark = pytest.mark.django_db

GENRE = "essai.document"


class Generateur:
    """A generator that fails as many times as asked, then renders « %PDF-1.4 essai »."""

    def __init__(self):
        self.echecs_restants = 0
        self.appels = 0

    def __call__(self, document: Document) -> bytes:
        self.appels += 1
        if self.echecs_restants:
            self.echecs_restants -= 1
            raise OSError("WeasyPrint indisponible")
        return b"%PDF-1.4 essai"


@pytest.fixture
def generateur(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    generateur = Generateur()
    genre_enregistrer(
        GENRE,
        generer=generateur,
        lisible=lambda request, document: request.user.is_authenticated and request.user.is_staff,
        url_fichier=lambda document: f"/telecharger/{document.pk}/",
    )
    yield generateur
    del GENRES[GENRE]


def demander(cle: str = "revue-1") -> Document:
    with transaction.atomic():
        document, _ = document_demander(genre=GENRE, cle=cle)
    return document


def test_a_requested_document_waits_then_is_ready_with_its_file_hash_and_a_server_name(generateur):
    document = demander()
    assert document.statut == Document.Statut.EN_ATTENTE and document.get_statut_display() == "En attente"
    travail = Travail.objects.get(tache="portal.documents.document_generer")
    assert travail.arguments == {"document_id": str(document.pk)}

    assert travail_executer(travail_id=travail.pk) is True
    document.refresh_from_db()
    assert document.pret and document.get_statut_display() == "Prêt" and document.pret_le is not None
    assert document.fichier.read() == b"%PDF-1.4 essai"
    assert document.sha256 == hashlib.sha256(b"%PDF-1.4 essai").hexdigest() and document.taille == 14
    assert document.fichier.name.startswith("documents/essai-document/") and document.fichier.name.endswith(".pdf")


def test_a_double_click_gets_the_pending_document_and_one_job(generateur):
    premier = demander()
    assert demander() == premier
    assert Document.objects.count() == 1 and Travail.objects.count() == 1
    assert demander("revue-2") != premier  # another key is another document


def test_once_ready_the_same_key_asks_for_a_new_document(generateur):
    premier = demander()
    document_generer(document_id=str(premier.pk))
    assert demander() != premier


def test_a_failure_is_shown_as_echec_then_the_jobs_retry_makes_it_ready(generateur):
    generateur.echecs_restants = 1
    document = demander()
    travail = Travail.objects.get()
    assert travail_executer(travail_id=travail.pk) is False
    document.refresh_from_db()
    assert document.statut == Document.Statut.ECHEC and "WeasyPrint indisponible" in document.erreur
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.EN_ATTENTE  # the sweep (travaux_relancer) publishes it again

    assert travail_executer(travail_id=travail.pk) is True
    document.refresh_from_db()
    assert document.pret and document.erreur == ""


def test_a_ready_document_is_never_rendered_again(generateur):
    document = demander()
    assert document_generer(document_id=str(document.pk)) is True
    assert document_generer(document_id=str(document.pk)) is False
    assert generateur.appels == 1


def test_an_unknown_kind_cannot_be_requested():
    with pytest.raises(ValueError):
        document_demander(genre="inconnu", cle="x")


def test_a_ready_document_without_its_file_is_refused_by_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(genre=GENRE, statut=Document.Statut.PRET, sha256="0" * 64)


def test_the_status_endpoint_says_the_state_in_french_and_the_download_address_once_ready(generateur, agent_client):
    document = demander()
    url = reverse("document-etat", args=[document.pk])
    reponse = agent_client.get(url)
    assert reponse.json() == {"statut": "en_attente", "libelle": "En attente", "fichier": None}  # no progress said
    assert "no-cache" in reponse["Cache-Control"]
    document_generer(document_id=str(document.pk))
    assert agent_client.get(url).json() == {
        "statut": "pret",
        "libelle": "Prêt",
        "fichier": f"/telecharger/{document.pk}/",
    }


def test_the_status_endpoint_applies_the_kinds_access_rule_outsiders_get_404(generateur, client, entreprise_client):
    document = demander()
    url = reverse("document-etat", args=[document.pk])
    assert entreprise_client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    inconnu = reverse("document-etat", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(inconnu).status_code == 404


class GenerateurLong:
    """A generator that reports its progress as it goes, writes a temporary file and returns its path
    (what a large export does), noting what the status endpoint said at each step."""

    def __init__(self, client, tmp_path):
        self.client = client
        self.tmp_path = tmp_path
        self.vus = []

    def __call__(self, document: Document):
        etat = reverse("document-etat", args=[document.pk])
        for fait in (1, 2, 3, 4):
            document_progression(document, fait=fait, total=4)
            self.vus.append(self.client.get(etat).json()["progression"])
        chemin = self.tmp_path / "export.tmp"
        chemin.write_bytes(b"ligne;ligne\r\n" * 1000)
        return chemin


def test_a_long_job_reports_its_progress_to_the_poller_and_is_stored_from_its_temporary_file(
    settings, tmp_path, agent_client
):
    settings.MEDIA_ROOT = tmp_path / "media"
    generateur = GenerateurLong(agent_client, tmp_path)
    genre_enregistrer("essai.long", generer=generateur, lisible=lambda r, d: True, url_fichier=lambda d: "/f/")
    try:
        with transaction.atomic():
            document, _ = document_demander(genre="essai.long", cle="x")
        document_generer(document_id=str(document.pk))
        fin = agent_client.get(reverse("document-etat", args=[document.pk])).json()
    finally:
        del GENRES["essai.long"]
    # 100 % is for the stored file only: the last row written says 99.
    assert generateur.vus == [25, 50, 75, 99]
    document.refresh_from_db()
    contenu = b"ligne;ligne\r\n" * 1000
    assert document.pret and document.progression == 100 and document.taille == len(contenu)
    assert document.sha256 == hashlib.sha256(contenu).hexdigest()
    with document.fichier.open("rb") as f:
        assert f.read() == contenu
    assert not (tmp_path / "export.tmp").exists()  # the temporary file is gone
    assert fin["progression"] == 100 and fin["fichier"] == "/f/"


def test_progress_is_written_only_while_the_document_is_being_prepared(generateur):
    document = demander()
    document_progression(document, fait=1, total=2)
    assert Document.objects.get(pk=document.pk).progression is None  # waiting: not claimed by a worker
    document_generer(document_id=str(document.pk))
    document_progression(document, fait=1, total=2)
    assert Document.objects.get(pk=document.pk).progression is None  # ready: a late report changes nothing


def test_the_database_keeps_progress_a_percentage(generateur):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(genre=GENRE, progression=101)
