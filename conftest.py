"""Fixtures shared by every app's tests: users by role, a real Celery worker, the browser and axe."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from portal.roles import Role
from portal.tests.factories import MOT_DE_PASSE, AgentFactory
from portal.tests.second_facteur import code_totp, verifier_session_de_test  # noqa: F401  (imported by tests)
from territoires.chargement import territoires_charger
from territoires.models import EPCI
from territoires.tests.factories import AffectationFactory

RACINE = Path(__file__).resolve().parent


# --- Database: the region's real territories, loaded once ---------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the 5 départements, 92 EPCI and 3,782 communes.

    Transactional tests (`transaction=True`, the live server, the Celery worker) empty the tables
    when they end; pytest-django runs them after the others, so they make what they need with the
    factories of `territoires.tests.factories` or call `territoires_charger()` themselves.
    """
    with django_db_blocker.unblock():
        territoires_charger()


# --- The shared cache: empty at the start of every test ----------------------------------------


@pytest.fixture(autouse=True)
def cache_vide():
    """Delete this run's keys of the shared cache (never FLUSHDB: the broker shares the database)."""
    import redis

    prefixe = settings.CACHES["default"]["KEY_PREFIX"]
    try:
        with redis.Redis.from_url(settings.CACHES["default"]["LOCATION"], socket_timeout=1) as client:
            cles = list(client.scan_iter(f"{prefixe}:*", count=1000))
            if cles:
                client.delete(*cles)
    except redis.RedisError:
        pass  # tests that stop Redis on purpose
    yield


# --- Second factor: force_login counts as a login with the code ------------------------------


@pytest.fixture(autouse=True)
def force_login_avec_second_facteur(monkeypatch):
    """`client.force_login(agent)` logs a staff member in with the second factor already given.

    Staff pages require a session verified by a TOTP device (portal.double_facteur); the tests that
    are about something else log staff in with force_login, as before. The real login (password,
    then code) is tested in portal/tests/test_second_facteur.py, and browser tests go through it
    with the `connecter` fixture. A company account whose device is confirmed is verified too.
    """
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verifier_session_de_test(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


# --- Abuse limits: counters of one test never reach another -------------------------------------


@pytest.fixture(autouse=True)
def limites_separees(settings):
    """The limits count in Redis (shared): each test counts under its own prefix."""
    settings.LIMITES_PREFIXE = uuid.uuid4().hex


# --- S3: moto's server mode, a real S3 API over HTTP ------------------------------------------


def port_libre() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def serveur_s3():
    """An S3-compatible server process (moto in server mode: no other S3 server installs here), on a
    free port; yields its endpoint URL. The storage API is never mocked: boto3 talks HTTP to it."""
    import urllib.request

    port = port_libre()
    processus = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    fin = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            break
        except OSError:
            if time.monotonic() > fin or processus.poll() is not None:
                processus.kill()
                raise RuntimeError("Le serveur S3 de test (moto_server) n'a pas démarré.") from None
            time.sleep(0.2)
    try:
        yield url
    finally:
        os.killpg(processus.pid, signal.SIGTERM)
        processus.wait(timeout=10)


@pytest.fixture
def stockage_s3(serveur_s3, settings):
    """The default storage on a fresh bucket of the S3 test server; yields the settings' env values."""
    import boto3

    bucket = f"portail-{uuid.uuid4().hex[:12]}"
    env = {
        "STORAGE_BACKEND": "s3",
        "S3_ENDPOINT_URL": serveur_s3,
        "S3_BUCKET": bucket,
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "S3_REGION": "eu-west-3",
    }
    boto3.client(
        "s3", endpoint_url=serveur_s3, aws_access_key_id="test", aws_secret_access_key="test", region_name="eu-west-3"
    ).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "endpoint_url": serveur_s3,
                "bucket_name": bucket,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "eu-west-3",
                "default_acl": None,
                "file_overwrite": False,
                "addressing_style": "path",
                "signature_version": "s3v4",
            },
        },
    }
    yield env


# --- Users and clients by role ----------------------------------------------------------------


@pytest.fixture
def creer_agent(db):
    """Make a staff member holding the given roles: `creer_agent(Role.PILOTAGE, direction=...)`."""

    def fabrique(*roles: Role, **champs):
        return AgentFactory(roles=roles, **champs)

    return fabrique


@pytest.fixture
def agent(creer_agent):
    return creer_agent(Role.CHARGE_DE_MISSION)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def membre_entreprise(db):
    """A company account: verified administrator of its company and its legal representative."""
    from aides.demandes.tests.factories import MembreVerifieFactory

    return MembreVerifieFactory()


@pytest.fixture
def utilisateur_entreprise(membre_entreprise):
    return membre_entreprise.utilisateur


@pytest.fixture
def entreprise_client(client, utilisateur_entreprise):
    client.force_login(utilisateur_entreprise)
    return client


@pytest.fixture
def mot_de_passe():
    return MOT_DE_PASSE


@pytest.fixture
def pilotage(creer_agent):
    return creer_agent(Role.PILOTAGE)


@pytest.fixture
def instructeur(creer_agent):
    return creer_agent(Role.INSTRUCTEUR)


# --- Territories and files --------------------------------------------------------------------------


@pytest.fixture
def amiens(db):
    """Amiens Métropole, a real EPCI of the test database."""
    return EPCI.objects.get(communes__code_insee="80021")


@pytest.fixture
def charge_affecte(creer_agent, amiens):
    """A chargé de mission assigned to Amiens Métropole."""
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    AffectationFactory(agent=agent, epci=amiens)
    return agent


@pytest.fixture
def charge_ailleurs(creer_agent):
    """A chargé de mission assigned to another EPCI (Saint-Quentin)."""
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    AffectationFactory(agent=agent, epci=EPCI.objects.get(siren="200071892"))
    return agent


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and generated files in the test's own folder. Not autouse: a test with a Celery worker
    subprocess shares the default test MEDIA_ROOT with it. Use `pytest.mark.usefixtures("media")`."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def territoires_recharges(transactional_db):
    """The territories again, for a transactional test (it starts from empty tables)."""
    territoires_charger()


# --- A real Celery worker ---------------------------------------------------------------------


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """A real `celery worker` subprocess on the test database and the tests' private queue.

    Tests that use it must commit their data (it is a `transactional_db` fixture). Emails it sends
    land as files in the yielded worker's `mails` folder.
    """
    worker = demarrer_worker(tmp_path / "mails")
    try:
        worker.attendre_pret()
        yield worker
    finally:
        worker.arreter()


def demarrer_worker(dossier_mails: Path, **env_en_plus: str) -> "WorkerDeTest":
    """Start a worker subprocess (see `celery_worker`); `env_en_plus` adds environment variables."""
    from django.db import connection

    dossier_mails.mkdir(exist_ok=True)
    base = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/{connection.settings_dict['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(dossier_mails),
        **env_en_plus,
    }
    nom = f"test-{uuid.uuid4().hex[:8]}@localhost"
    processus = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-n",
            nom,
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=RACINE,
        env=env,
        start_new_session=True,
    )
    return WorkerDeTest(processus, nom, dossier_mails)


class WorkerDeTest:
    def __init__(self, processus: subprocess.Popen, nom: str, dossier_mails: Path):
        self.processus = processus
        self.nom = nom
        self.dossier_mails = dossier_mails

    def attendre_pret(self, delai: float = 30) -> None:
        from portal.celery import app

        fin = time.monotonic() + delai
        while time.monotonic() < fin:
            if self.processus.poll() is not None:
                raise RuntimeError("Le worker Celery de test s'est arrêté au démarrage.")
            if app.control.ping(timeout=0.5, destination=[self.nom]):
                return
        raise RuntimeError("Le worker Celery de test n'a pas répondu à temps.")

    def tuer(self) -> None:
        """SIGKILL, as the OOM killer or a lost machine would: no chance to hand anything back."""
        os.killpg(self.processus.pid, signal.SIGKILL)
        self.processus.wait(timeout=15)

    def mails(self) -> list[str]:
        return [chemin.read_text() for chemin in sorted(self.dossier_mails.iterdir())]

    def arreter(self) -> None:
        if self.processus.poll() is None:
            os.killpg(self.processus.pid, signal.SIGTERM)
            try:
                self.processus.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.processus.pid, signal.SIGKILL)


def attendre(condition, delai: float = 20, pas: float = 0.2):
    """Poll `condition()` until it returns a truthy value, or fail after `delai` seconds."""
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        resultat = condition()
        if resultat:
            return resultat
        time.sleep(pas)
    raise AssertionError(f"Condition non remplie après {delai} s : {condition}")


def en_parallele(*fonctions) -> list:
    """Run each function in its own thread (own connection, own transaction), started together.

    Returns each function's result or the exception it raised, in order. For concurrency tests,
    which must be `transaction=True` so that the threads see committed data.
    """
    import threading

    depart = threading.Barrier(len(fonctions))
    resultats: list = [None] * len(fonctions)

    def lancer(i, fonction):
        from django.db import connections

        try:
            depart.wait()
            resultats[i] = fonction()
        except Exception as erreur:  # collected for the assertions
            resultats[i] = erreur
        finally:
            connections.close_all()

    fils = [threading.Thread(target=lancer, args=(i, f)) for i, f in enumerate(fonctions)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(30)
    return resultats


# --- Browser: Playwright on Debian's Chromium, and axe ------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture
def verifier_axe():
    """Run axe on the page; fail listing every violation of impact serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def verifier(page):
        resultats = axe.run(page)
        graves = [v for v in resultats.response["violations"] if v["impact"] in {"serious", "critical"}]
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:5]}" for v in graves
        )
        assert not graves, f"Violations axe sur {page.url} :\n{details}"
        return resultats

    return verifier


def connexion_navigateur(page, url: str, user, mot_de_passe: str) -> None:
    """Log a user in through the real login page at `url`: the password, then for staff (and
    companies that enabled it) the 6-digit code of their authenticator app, computed here as the app
    would (a device is made for a staff member who has none)."""
    page.goto(f"{url}/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    if user.is_staff or user.totpdevice_set.filter(confirmed=True).exists():
        code = code_totp(user)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_label("Code à 6 chiffres").fill(code)
        page.get_by_role("button", name="Valider le code").click()
    else:
        page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


@pytest.fixture
def connecter(live_server, mot_de_passe):
    """Log a user in through the real login form of the live server (with the code for staff)."""

    def connexion(page, user):
        connexion_navigateur(page, live_server.url, user, mot_de_passe)

    return connexion


@pytest.fixture
def connecter_agent(connecter):
    """Log a staff member in through the browser: the one place to adapt when staff logins ask
    for more than the password (second factor)."""

    def connexion(page, agent):
        connecter(page, agent)

    return connexion
