"""Two web nodes with separate local disks and a worker on a third, all on one S3 endpoint (moto's
server mode, a process started by `serveur_s3`): what one node stores, every node serves, and the
access checks still hold."""

import hashlib
import html
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.tests.factories import PDF_MINIMAL, RepresentantFactory
from aides.models import Demande
from conftest import RACINE, attendre, demarrer_worker, port_libre
from crm.tests.factories import EtablissementFactory
from territoires.tests.factories import CommuneFactory

pytestmark = [pytest.mark.multinoeud, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def env_noeud(stockage: dict, disque: Path) -> dict:
    import os

    base = settings.DATABASES["default"]
    disque.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        **stockage,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "DATABASE_URL": f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/{connection.settings_dict['NAME']}",
        "MEDIA_ROOT": str(disque),  # each node its own local disk: nothing may be read from it
    }


class NoeudWeb:
    def __init__(self, env: dict):
        self.port = port_libre()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processus = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=RACINE,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def attendre(self):
        fin = time.monotonic() + 60
        while time.monotonic() < fin:
            try:
                if requests.get(f"{self.url}/sante/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("Le nœud web de test n'a pas démarré.")

    def arreter(self):
        self.processus.terminate()
        try:
            self.processus.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.processus.kill()


def cookie_session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def obtenir(noeud: NoeudWeb, chemin: str, session: str) -> requests.Response:
    return requests.get(f"{noeud.url}{chemin}", cookies={settings.SESSION_COOKIE_NAME: session}, timeout=20)


def test_two_web_nodes_and_a_worker_share_the_files_through_s3(stockage_s3, tmp_path):
    dispositif = DispositifFactory(documents_requis=["Devis"])
    commune = CommuneFactory()
    titulaire = RepresentantFactory(etablissement=EtablissementFactory(commune=commune))
    autre = RepresentantFactory(etablissement=EtablissementFactory(commune=commune))
    session, session_autre = cookie_session(titulaire.utilisateur), cookie_session(autre.utilisateur)

    noeuds = [NoeudWeb(env_noeud(stockage_s3, tmp_path / f"web{i}")) for i in (1, 2)]
    worker = demarrer_worker(tmp_path / "mails", **env_noeud(stockage_s3, tmp_path / "worker"))
    try:
        for noeud in noeuds:
            noeud.attendre()
        worker.attendre_pret()
        premier, second = noeuds

        # Node 1: the company deposits an application with a quote (upload) over HTTP.
        url = reverse("espace:nouvelle", args=[dispositif.slug])
        page = obtenir(premier, url, session)
        assert page.status_code == 200
        caches = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        caches = {nom: html.unescape(valeur) for nom, valeur in caches.items()}
        reponse = requests.post(
            f"{premier.url}{url}",
            data={
                **caches,
                "intitule": "Robot de soudure",
                "projet": "Automatiser la soudure.",
                "date_debut_projet": "2030-01-15",
                "montant_demande": "10 000",
                "lignes-TOTAL_FORMS": "1",
                "lignes-INITIAL_FORMS": "0",
                "lignes-0-nature": "Robot",
                "lignes-0-montant_ht": "30 000",
                "action": "deposer",
            },
            files={"piece_0": ("devis.pdf", PDF_MINIMAL, "application/pdf")},
            cookies={
                settings.SESSION_COOKIE_NAME: session,
                settings.CSRF_COOKIE_NAME: page.cookies[settings.CSRF_COOKIE_NAME],
            },
            allow_redirects=False,
            timeout=30,
        )
        assert reponse.status_code == 302, reponse.text[:2000]
        demande = Demande.objects.get(demandeur=titulaire.utilisateur)
        piece = demande.pieces.get()
        assert not any((tmp_path / "web1").rglob("*.pdf")), "nothing is written to a node's local disk"

        # The upload made on node 1 is read from node 2.
        url_piece = reverse("espace:piece", args=[piece.pk])
        depuis_second = obtenir(second, url_piece, session)
        assert depuis_second.status_code == 200 and depuis_second.content == PDF_MINIMAL

        # The receipt generated by the worker downloads from both web nodes.
        demande = attendre(
            lambda: Demande.objects.filter(pk=demande.pk, recepisse__statut="pret").select_related("recepisse").first(),
            delai=90,
        )
        url_recepisse = reverse("espace:recepisse", args=[demande.pk])
        for noeud in noeuds:
            recu = obtenir(noeud, url_recepisse, session)
            assert recu.status_code == 200
            assert hashlib.sha256(recu.content).hexdigest() == demande.recepisse.sha256
            assert "no-store" in recu.headers["Cache-Control"]
        assert not any(p.is_file() for p in (tmp_path / "worker").rglob("*")), "the worker wrote to S3 only"

        # Another company is refused on either node.
        for noeud in noeuds:
            assert obtenir(noeud, url_recepisse, session_autre).status_code == 404
            assert obtenir(noeud, url_piece, session_autre).status_code == 404
    finally:
        for noeud in noeuds:
            noeud.arreter()
        worker.arreter()
