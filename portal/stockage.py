"""The default file storage from the environment (read by portal/settings.py): local disk, or an
S3-compatible object storage shared by every web and worker node."""

import os

from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured


def stockage_defaut(backend: str) -> dict:
    if backend == "fichiers":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend != "s3":
        raise ImproperlyConfigured("STORAGE_BACKEND vaut « fichiers » (défaut) ou « s3 ».")
    stockage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "region_name": os.environ.get("S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            # A storage that does not answer gives an error page in seconds, not a hung worker.
            "client_config": Config(
                s3={"addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "path")},
                signature_version="s3v4",
                connect_timeout=3,
                read_timeout=20,
                retries={"max_attempts": 3},
            ),
        },
    }
    if not stockage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 demande S3_BUCKET (et S3_ENDPOINT_URL, les clés).")
    return stockage
