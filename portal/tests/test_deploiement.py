"""Production settings, checked in a fresh process as a server would load them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]


def lancer(code_ou_commande: list[str], **variables: str) -> subprocess.CompletedProcess:
    """Run with a clean environment: only what a production server would set (no test settings)."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail"),
        **variables,
    }
    return subprocess.run(
        [sys.executable, *code_ou_commande], cwd=RACINE, env=env, capture_output=True, text=True, timeout=60
    )


def variables_production() -> dict[str, str]:
    return {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "portail.example.fr"}


def test_check_deploy_passes_without_any_warning_under_production_settings():
    resultat = lancer(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **variables_production())

    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "System check identified no issues" in resultat.stdout


def test_the_portal_refuses_to_start_without_a_secret_key_when_debug_is_off():
    resultat = lancer(["manage.py", "check"], DEBUG="0", ALLOWED_HOSTS="portail.example.fr")

    assert resultat.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY est obligatoire quand DEBUG est désactivé" in resultat.stderr


def test_a_developer_machine_starts_without_a_secret_key():
    resultat = lancer(["manage.py", "check"], DEBUG="1")

    assert resultat.returncode == 0, resultat.stderr


def test_production_redirects_to_https_except_the_health_check():
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='portail.example.fr')\n"
        "print(client.get('/').status_code, client.get('/').headers.get('Location'))\n"
        "print(client.get('/sante/').status_code)\n"
    )
    resultat = lancer(["-c", code], **variables_production())

    assert resultat.returncode == 0, resultat.stderr
    accueil, sante = resultat.stdout.splitlines()[-2:]
    assert accueil == "301 https://portail.example.fr/"
    assert sante in {"200", "503"}  # answered over HTTP, whatever the state of the services
