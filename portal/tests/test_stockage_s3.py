"""Files on S3-compatible object storage: moto's server mode started as a process (see conftest's
`serveur_s3`), boto3 over HTTP; the storage API is never mocked."""

import boto3
import pytest
from django.core.files.storage import default_storage

from parcours.models import SyntheseParcours
from portal.tests.factories import document_cree

pytestmark = pytest.mark.django_db


def objets(env) -> list[str]:
    client = boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name=env["S3_REGION"],
    )
    return [o["Key"] for o in client.list_objects_v2(Bucket=env["S3_BUCKET"]).get("Contents", [])], client


def synthese_prete() -> SyntheseParcours:
    document = document_cree("parcours.synthese", contenu=b"%PDF-1.7 contenu")
    return SyntheseParcours.objects.create(profil="commune=80021", document=document)


def test_a_generated_pdf_goes_to_the_bucket_and_downloads_through_the_one_download_function(client, stockage_s3):
    synthese = synthese_prete()

    cles, _ = objets(stockage_s3)
    assert cles == [synthese.document.fichier.name]
    reponse = client.get(f"/parcours/synthese/{synthese.pk}/fichier/")

    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content) == b"%PDF-1.7 contenu"
    assert reponse["Content-Disposition"].startswith("attachment;")
    assert reponse["Cache-Control"] == "no-store"


def test_an_object_missing_from_the_bucket_is_a_french_404_page_not_a_500(client, stockage_s3):
    synthese = synthese_prete()
    _, s3 = objets(stockage_s3)
    s3.delete_object(Bucket=stockage_s3["S3_BUCKET"], Key=synthese.document.fichier.name)

    reponse = client.get(f"/parcours/synthese/{synthese.pk}/fichier/")

    assert reponse.status_code == 404
    assert "Document indisponible" in reponse.content.decode()
    assert "est introuvable dans nos archives" in reponse.content.decode()


def test_an_unreachable_storage_is_a_french_503_page(client, stockage_s3, settings):
    synthese = synthese_prete()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "endpoint_url": "http://127.0.0.1:1"},
        },
    }

    reponse = client.get(f"/parcours/synthese/{synthese.pk}/fichier/")

    assert reponse.status_code == 503
    assert "le stockage des documents ne répond pas" in reponse.content.decode()


def test_waiting_files_are_kept_and_purged_on_the_bucket(stockage_s3, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from aides.demandes.documents import fichier_mettre_en_attente, fichiers_en_attente_purger
    from aides.demandes.tests.factories import fichier_pdf
    from portal.models import Document
    from portal.verification import fichier_verifier

    assert fichiers_en_attente_purger() == 0  # nothing waiting: nothing to do, no error
    attente = fichier_mettre_en_attente(fichier_verifier(fichier_pdf("a.pdf")))
    chemin = Document.objects.get(pk=attente.document).fichier.name
    assert default_storage.exists(chemin)

    assert fichiers_en_attente_purger() == 0  # too recent
    with django_capture_on_commit_callbacks(execute=True):
        assert fichiers_en_attente_purger(plus_vieux_que=timedelta(seconds=-60)) == 1
    assert not default_storage.exists(chemin)


def test_readiness_reports_the_bucket(client, stockage_s3):
    from portal.sante import etat_stockage

    assert etat_stockage() is True
    boto3.client(
        "s3",
        endpoint_url=stockage_s3["S3_ENDPOINT_URL"],
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="eu-west-3",
    ).delete_bucket(Bucket=stockage_s3["S3_BUCKET"])
    assert etat_stockage() is False
