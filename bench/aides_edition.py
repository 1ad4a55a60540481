"""Benchmark: the staff side of the catalogue (/agents/aides/) and the demo catalogue loader.

Runs in-process with Django's test Client (no server, no network) against a real database; every
row it writes is rolled back at the end. From the repository root:

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail .venv/bin/python bench/aides_edition.py

Prints a markdown section and writes it to bench/RESULTATS-edit.md:
- the demo catalogue loader (`aides.demo.charger`), first run (creates ~50 dispositifs through the
  services) and second run (nothing to change);
- the services: create + publish one dispositif (median per dispositif over 200);
- the staff list at 2,000 dispositifs (first page, a search, the « clôturés » filter) and a detail
  page whose dispositif has 200 history rows: median and p95 over 30 requests after a warm-up,
  with the number of SQL queries of one request.
"""

import io
import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from aides import demo  # noqa: E402
from aides.catalogue.demo import textes  # noqa: E402
from aides.catalogue.referentiels import Nature, Thematique  # noqa: E402
from aides.catalogue.services import dispositif as services  # noqa: E402
from aides.models import Dispositif  # noqa: E402
from portal.models import Direction, User  # noqa: E402
from portal.roles import Role  # noqa: E402
from portal.tests.second_facteur import verifier_session_de_test  # noqa: E402
from territoires.chargement import territoires_charger  # noqa: E402

NB_DISPOSITIFS = 2000
REPETITIONS = 30


class Annulation(Exception):
    pass


def chrono(fonction) -> float:
    debut = time.perf_counter()
    fonction()
    return (time.perf_counter() - debut) * 1000


def mesurer(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm-up
    connection.queries_log.clear()  # a full log (maxlen) would make the capture below count nothing
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url)
    assert reponse.status_code == 200, (url, reponse.status_code)
    durees = sorted(chrono(lambda: client.get(url)) for _ in range(REPETITIONS))
    return statistics.median(durees), durees[int(len(durees) * 0.95) - 1], len(requetes)


def main() -> None:
    lignes = []
    try:
        with transaction.atomic():
            territoires_charger()
            from portal import demo as portal_demo

            portal_demo.charger(io.StringIO())
            Dispositif.objects.filter(demo=True).delete()
            premier = chrono(lambda: demo.charger(io.StringIO()))
            second = chrono(lambda: demo.charger(io.StringIO()))
            nb_demo = Dispositif.objects.filter(demo=True).count()
            lignes.append(
                f"| `aides.demo.charger`, premier passage ({nb_demo} dispositifs créés) | {premier:.0f} ms | |"
            )
            lignes.append(f"| `aides.demo.charger`, second passage (rien à changer) | {second:.0f} ms | |")

            auteur = User.objects.get(email=textes.AUTEUR_DEMO)
            direction = Direction.objects.get(code="DAEN")
            hier = timezone.localdate() - timedelta(days=1)

            def creer_publier(rang: int) -> None:
                d = services.dispositif_creer(
                    par=auteur,
                    nom=f"Aide de volume {rang}",
                    resume="Une aide pour mesurer.",
                    nature=Nature.SUBVENTION,
                    thematiques=[Thematique.TPE_PROXIMITE],
                    direction=direction,
                    montant_max=Decimal(10000),
                    date_cloture=hier if rang % 10 == 0 else None,
                )
                services.dispositif_publier(dispositif=d, par=auteur)

            durees = [chrono(lambda r=rang: creer_publier(r)) for rang in range(200)]
            lignes.append(
                f"| service : créer puis publier un dispositif (médiane sur 200) "
                f"| {statistics.median(durees):.1f} ms | |"
            )
            for rang in range(200, NB_DISPOSITIFS - nb_demo):
                creer_publier(rang)

            cible = Dispositif.objects.get(nom="Aide de volume 1")
            for montant in range(200):
                services.dispositif_modifier(dispositif=cible, par=auteur, montant_max=Decimal(20000 + montant))

            lecteur = User.objects.filter(groups__name=Role.CHARGE_DE_MISSION.value).first()
            client = Client(HTTP_HOST="localhost")
            client.force_login(lecteur)
            verifier_session_de_test(client, lecteur)  # staff pages need the second factor
            total = Dispositif.objects.count()
            for libelle, url in [
                (f"liste agents, page 1 ({total} dispositifs)", "/agents/aides/"),
                ("liste agents, recherche « volume 12 »", "/agents/aides/?q=volume+12"),
                ("liste agents, filtre « publiés mais clôturés », page 3", "/agents/aides/?statut=cloture&page=3"),
                ("fiche agents d'un dispositif à 200 lignes d'historique", f"/agents/aides/{cible.pk}/"),
                ("aperçu d'un dispositif", f"/agents/aides/{cible.pk}/apercu/"),
            ]:
                mediane, p95, requetes = mesurer(client, url)
                lignes.append(f"| {libelle} | {mediane:.1f} ms (p95 {p95:.1f} ms) | {requetes} |")
            raise Annulation
    except Annulation:
        pass

    section = "\n".join(
        [
            "## Catalogue, côté agents (helper edit)",
            "",
            "Mesuré en processus avec le client de test de Django (pas de serveur ni de réseau), "
            f"sur PostgreSQL local, machine à 2 cœurs partagés ({platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}). Tout ce qui est écrit est annulé à la fin.",
            "",
            "Commande : `DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail "
            ".venv/bin/python bench/aides_edition.py`",
            "",
            "| mesure | durée | requêtes SQL |",
            "|---|---|---|",
            *lignes,
            "",
        ]
    )
    print(section)
    (RACINE / "bench" / "RESULTATS-edit.md").write_text(section)


if __name__ == "__main__":
    main()
