"""Queues, limits and the pooler setting, read from the real settings module in a fresh process."""

import json
import os
import subprocess
import sys

from celery.app.routes import MapRoute
from django.conf import settings

from portal.settings import routes_celery


def test_emails_documents_and_periodic_work_go_to_their_own_queue():
    files = {"emails": "emails", "documents": "documents", "periodique": "periodique"}
    route = MapRoute(routes_celery(files))

    assert route("portal.tasks.notification_envoyer")["queue"] == "emails"
    assert route("aides.tasks.convention_pdf_generer")["queue"] == "documents"
    assert route("portal.tasks.travail_executer")["queue"] == "documents"
    assert route("crm.tasks.contacts_anonymiser")["queue"] == "periodique"
    assert route("portal.tasks.travaux_balayer")["queue"] == "periodique"


def test_a_killed_worker_gives_its_message_back_before_the_visibility_timeout_of_one_hour():
    plus_longue = max(dure for _, dure in settings.CELERY_LIMITES_PAR_FILE.values())

    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert plus_longue < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] < 3600
    assert settings.CELERY_TASK_ANNOTATIONS["portal.tasks.travail_executer"]["time_limit"] == 180


def _parametres(**env) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "d = settings.DATABASES['default'];"
        "print(json.dumps([d['CONN_MAX_AGE'], d.get('DISABLE_SERVER_SIDE_CURSORS', False)]))"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def test_behind_a_transaction_pooler_no_persistent_connection_nor_server_side_cursor():
    assert _parametres(DB_POOLER="transaction") == [0, True]
    assert _parametres(DB_POOLER="", DB_CONN_MAX_AGE="60") == [60, False]
