"""SAF dashboard benchmark: /agents/saf/ with N conventions and their step histories.

Fills (once, idempotently) a dedicated database with N granted applications and their conventions
spread over the signature circuit (about 4.5 dated steps each), then renders the dashboard 30 times
through the Django test client (full middleware, templates, PostgreSQL): first page, the stalled
ones only, and one step filter. Prints p50/p95 and the number of SQL queries per page.

Usage (from the repo root):
    export DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail_saf_bench
    .venv/bin/python scripts/creer_base.py && .venv/bin/python manage.py migrate -v0
    .venv/bin/python bench/saf_tableau.py 50000
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from bench.base_dediee import preparer_base  # noqa: E402

NOMBRE = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
# Its own database, one per size (created and marked by the benchmark; any other one is refused).
BASE = sys.argv[2] if len(sys.argv) > 2 else f"portail_bench_saf_{NOMBRE}"
preparer_base(BASE, "bench_saf_marqueur")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402

from aides.conventions.demo import conventions_en_masse  # noqa: E402
from aides.models import ConventionAide, Dispositif  # noqa: E402
from crm.models import Entreprise, Etablissement  # noqa: E402
from portal.models import Direction, User  # noqa: E402
from portal.roles import Role  # noqa: E402
from portal.tests.second_facteur import verifier_session_de_test  # noqa: E402


def remplir(nombre: int) -> None:
    existantes = ConventionAide.objects.count()
    if existantes >= nombre:
        return
    dispositifs = []
    for i, code in enumerate(["DAEN", "DAEN", "DIPI", "DPEAP", "DTRI", "DAEN", "DIPI", "DFP"]):
        dispositif, _ = Dispositif.objects.get_or_create(
            slug=f"bench-saf-{i}",
            defaults={
                "nom": f"Dispositif bench SAF {i}",
                "resume": "Bench",
                "nature": "subvention",
                "direction": Direction.objects.get(code=code),
                "statut": "publie",
                "publie_le": timezone.now(),
                "thematiques": ["numerique"],
            },
        )
        dispositifs.append(Dispositif.objects.select_related("direction").get(pk=dispositif.pk))
    demandeur, _ = User.objects.get_or_create(email="bench-saf-entreprise@example.org")
    etablissements = []
    for i in range(300):
        siren = f"7{i:07d}"
        siren += luhn.calc_check_digit(siren)
        entreprise, _ = Entreprise.objects.get_or_create(siren=siren, defaults={"denomination": f"Bench SAF {i}"})
        siret = siren + "0001"
        siret += luhn.calc_check_digit(siret)
        etablissement, _ = Etablissement.objects.get_or_create(siret=siret, defaults={"entreprise": entreprise})
        etablissements.append(etablissement)
    lot = 5000
    while existantes < nombre:
        n = min(lot, nombre - existantes)
        conventions_en_masse(
            n, etablissements=etablissements, dispositifs=dispositifs, demandeur=demandeur, graine=existantes + 1
        )
        existantes += n
        print(f"  {existantes} conventions", flush=True)
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE aides_conventionaide; ANALYZE aides_etapeconvention; ANALYZE aides_demande")


def mesurer(client: Client, url: str, fois: int = 30) -> tuple[float, float, int]:
    client.get(url)  # warm-up
    durees = []
    for _ in range(fois):
        debut = time.perf_counter()
        reponse = client.get(url)
        durees.append((time.perf_counter() - debut) * 1000)
        assert reponse.status_code == 200, reponse.status_code
    with CaptureQueriesContext(connection) as requetes:
        client.get(url)
    durees.sort()
    return statistics.median(durees), durees[int(len(durees) * 0.95) - 1], len(requetes)


def main() -> None:
    nombre = NOMBRE
    call_command("migrate", verbosity=0)
    debut = time.perf_counter()
    remplir(nombre)
    print(f"Données prêtes en {time.perf_counter() - debut:.1f} s : {ConventionAide.objects.count()} conventions")
    agent, _ = User.objects.get_or_create(
        email="bench-saf@example.org", defaults={"is_staff": True, "direction": Direction.objects.get(code="DAEN")}
    )
    agent.groups.add(Group.objects.get_or_create(name=Role.GESTIONNAIRE_SAF.value)[0])
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(agent)
    verifier_session_de_test(client, agent)  # staff pages need the second factor
    print(f"{'page':55} {'p50':>8} {'p95':>8} requêtes")
    for libelle, url in [
        ("tableau de bord, page 1 (délais sur 12 mois)", "/agents/saf/"),
        ("bloquées seulement, page 3", "/agents/saf/?bloquees=on&page=3"),
        ("étape « envoyée au bénéficiaire »", "/agents/saf/?etape=envoyee"),
    ]:
        p50, p95, requetes = mesurer(client, url)
        print(f"{libelle:55} {p50:7.0f}ms {p95:7.0f}ms {requetes}")


if __name__ == "__main__":
    main()
