"""Benchmark: the password reset answers in the same time for an account's address and an unknown one.

Runs in-process with Django's test Client against a real, migrated database; every row it writes is
rolled back at the end (nothing is sent). From the repository root:

    createdb -h 127.0.0.1 -U postgres portail_bench_reinit
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail_bench_reinit .venv/bin/python manage.py migrate
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail_bench_reinit \
        .venv/bin/python bench/reinitialisation.py [--n 200]

It refuses a database whose name does not contain « bench » (it never touches a developer's data).

Interleaves N posts of /mot-de-passe/oublie/ for an existing account and N for an unknown address
(abuse limits off for the run) and prints the median and p95 of each and their ratio (the issue's
target: within a small ratio; before #14, ~40 ms against ~10 ms). The enqueue after commit is not
part of the measure (the transaction is rolled back): it is the same call for both.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")


class Annulation(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="posts per kind of address (default 200)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit(
            f"Base « {connection.settings_dict['NAME']} » refusée : utilisez une base de banc (nom avec « bench »)."
        )
    from django.conf import settings
    from django.db import transaction
    from django.test import Client

    from portal.models import User

    settings.LIMITES = {**settings.LIMITES, "mdp_oublie": "0,0,3600"}
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    client = Client()
    durees = {"compte existant": [], "adresse inconnue": []}
    try:
        with transaction.atomic():
            User.objects.create_user("banc-essai-reinit@exemple.fr", "un-mot-de-passe-solide-2026")
            for i in range(args.n + 10):
                for genre, email in (
                    ("compte existant", "banc-essai-reinit@exemple.fr"),
                    ("adresse inconnue", f"personne-{i}@exemple.fr"),
                ):
                    debut = time.perf_counter()
                    reponse = client.post("/mot-de-passe/oublie/", {"email": email})
                    duree = (time.perf_counter() - debut) * 1000
                    assert reponse.status_code == 302, reponse.status_code
                    if i >= 10:  # warm-up
                        durees[genre].append(duree)
            raise Annulation
    except Annulation:
        pass
    print("| adresse | médiane (ms) | p95 (ms) |\n|---|---|---|")
    medianes = {}
    for genre, valeurs in durees.items():
        valeurs.sort()
        medianes[genre] = statistics.median(valeurs)
        print(f"| {genre} | {medianes[genre]:.1f} | {valeurs[int(len(valeurs) * 0.95) - 1]:.1f} |")
    rapport = medianes["compte existant"] / medianes["adresse inconnue"]
    print(f"\nrapport des médianes (existant / inconnu) : {rapport:.2f}")


if __name__ == "__main__":
    main()
