"""Convention PDFs rendered per minute by one worker process.

Renders N conventions one after the other in this single process, exactly as the worker's Travail
does (`aides.conventions.pdf.convention_pdf_generer`: a new version and its portal.Document, then
portal.documents.document_generer: template, WeasyPrint with embedded fonts, SHA-256, file stored,
step moved), and prints the rate. Needs conventions in the database:
run bench/saf_tableau.py first on the same database (or any database with conventions).

Usage (from the repo root):
    export DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail_saf_bench
    MEDIA_ROOT=/tmp/saf-bench-media .venv/bin/python bench/saf_pdf.py 60
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("MEDIA_ROOT", "/tmp/saf-bench-media")

import django  # noqa: E402

django.setup()

from django.db.models import F  # noqa: E402

from aides.conventions.pdf import convention_pdf_generer  # noqa: E402
from aides.models import ConventionAide  # noqa: E402


def main() -> None:
    nombre = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    ids = list(ConventionAide.objects.order_by("pk").values_list("pk", flat=True)[:nombre])
    if len(ids) < nombre:
        sys.exit(f"Seulement {len(ids)} conventions dans la base : lancez d'abord bench/saf_tableau.py.")
    # Half of them co-financed by FEDER (EU emblem and clause), as in production.
    ConventionAide.objects.filter(pk__in=ids[::2], part_feder=0).update(
        part_feder=F("montant") / 2, part_region=F("montant") - F("montant") / 2
    )
    convention_pdf_generer(convention_id=ids[0])  # warm-up: imports, fonts
    durees, tailles = [], []
    debut = time.perf_counter()
    for pk in ids:
        t0 = time.perf_counter()
        version = convention_pdf_generer(convention_id=pk)
        durees.append(time.perf_counter() - t0)
        tailles.append(version.document.taille)
    total = time.perf_counter() - debut
    durees.sort()
    print(f"{nombre} conventions rendues en {total:.1f} s : {nombre / total * 60:.0f} par minute (un processus)")
    print(
        f"par PDF : p50 {statistics.median(durees) * 1000:.0f} ms, "
        f"p95 {durees[int(len(durees) * 0.95) - 1] * 1000:.0f} ms,"
        f" taille moyenne {statistics.mean(tailles) / 1024:.0f} Ko"
    )


if __name__ == "__main__":
    main()
