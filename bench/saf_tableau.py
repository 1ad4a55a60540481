"""SAF dashboard benchmark: /agents/saf/ with N conventions and their step histories.

Fills (once, idempotently) a dedicated database with N granted applications and their conventions
spread over the signature circuit (about 4.5 dated steps each), then renders the dashboard 30 times
through the Django test client (full middleware, templates, PostgreSQL): first page, the stalled
ones only, and one step filter. Prints p50/p95 and the number of SQL queries per page.

Usage (from the repo root; the benchmark creates and marks its own database, one per size):
    DEBUG=1 .venv/bin/python bench/saf_tableau.py 50000 [portail_bench_saf_50000]
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.base_dediee import django_demarrer  # noqa: E402

NOMBRE = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
# Its own database, one per size (created and marked by the benchmark; any other one is refused).
django_demarrer(sys.argv[2] if len(sys.argv) > 2 else f"portail_bench_saf_{NOMBRE}", "bench_saf_marqueur")

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402

from aides.conventions.demo import conventions_en_masse  # noqa: E402
from aides.models import ConventionAide, Dispositif  # noqa: E402
from bench.rendus import client_agent, mesurer  # noqa: E402
from crm.models import Entreprise, Etablissement  # noqa: E402
from portal.models import Direction, User  # noqa: E402
from portal.roles import Role  # noqa: E402


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


def main() -> None:
    debut = time.perf_counter()
    remplir(NOMBRE)
    print(f"Données prêtes en {time.perf_counter() - debut:.1f} s : {ConventionAide.objects.count()} conventions")
    client = client_agent("bench-saf@example.org", Role.GESTIONNAIRE_SAF, direction="DAEN")
    print(f"{'page':55} {'p50':>8} {'p95':>8} requêtes")
    for libelle, url in [
        ("tableau de bord, page 1 (délais sur 12 mois)", "/agents/saf/"),
        ("bloquées seulement, page 3", "/agents/saf/?bloquees=on&page=3"),
        ("étape « envoyée au bénéficiaire »", "/agents/saf/?etape=envoyee"),
    ]:
        p50, p95, requetes = mesurer(client, url, 30)
        print(f"{libelle:55} {p50:7.0f}ms {p95:7.0f}ms {requetes}")


if __name__ == "__main__":
    main()
