"""Benchmark: the commune autocompletion endpoint and the territories loader.

Runs in-process with Django's test Client (no server, no network) against a real database that
holds the reference territories (loaded by `manage.py charger_territoires`, which this script
re-runs and times). From the repository root:

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail .venv/bin/python bench/communes.py

Prints a markdown section: median and p95 of `GET /territoires/communes/?q=...` over 100 varied
queries (names, abbreviations, typos, prefixes, INSEE and postal codes), each measured 3 times after
a warm-up round, and the time of `charger_territoires` (an update of already loaded data).
"""

import os
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["ALLOWED_HOSTS"] = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1") + ",testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from territoires.models import Commune  # noqa: E402
from territoires.selectors import communes_rechercher  # noqa: E402

TOURS = 3


def sans_accents(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")


def faute(texte: str, hasard: random.Random) -> str:
    """One typo: a letter dropped or two neighbours swapped."""
    i = hasard.randrange(1, len(texte) - 1)
    if hasard.random() < 0.5:
        return texte[:i] + texte[i + 1 :]
    return texte[: i - 1] + texte[i] + texte[i - 1] + texte[i + 1 :]


def requetes(hasard: random.Random) -> list[tuple[str, str]]:
    """100 (category, query) pairs drawn from the real communes, reproducible."""
    communes = list(Commune.objects.order_by("code_insee").values_list("nom", "code_insee", "codes_postaux"))
    grandes = list(Commune.objects.order_by("-population").values_list("nom", flat=True)[:200])
    saints = [nom for nom, _, _ in communes if nom.startswith("Saint-")]
    choix = []
    for nom, _, _ in hasard.sample(communes, 20):
        choix.append(("nom exact", nom))
    for nom in hasard.sample(grandes, 15):
        choix.append(("nom minuscule sans accents ni tirets", sans_accents(nom).lower().replace("-", " ")))
    for nom in hasard.sample(grandes, 15):
        choix.append(("début de nom (3 à 6 lettres)", nom[: hasard.randint(3, 6)]))
    for nom in hasard.sample([n for n in grandes if len(n) >= 6], 10):
        choix.append(("faute de frappe", faute(sans_accents(nom).lower(), hasard)))
    for nom in hasard.sample(saints, 10):
        choix.append(("abréviation st", "st " + nom.removeprefix("Saint-").replace("-", " ")))
    for _, code, _ in hasard.sample(communes, 10):
        choix.append(("code INSEE", code))
    for _, _, postaux in hasard.sample(communes, 10):
        choix.append(("code postal", hasard.choice(postaux.split())))
    for _, code, _ in hasard.sample(communes, 10):
        choix.append(("début de code (2 à 4 chiffres)", code[: hasard.randint(2, 4)]))
    assert len(choix) == 100
    return choix


def centile(valeurs: list[float], p: float) -> float:
    ordonnees = sorted(valeurs)
    return ordonnees[min(len(ordonnees) - 1, round(p / 100 * (len(ordonnees) - 1)))]


def main() -> None:
    debut = time.perf_counter()
    durees_chargement = []
    for _ in range(3):
        debut = time.perf_counter()
        call_command("charger_territoires", stdout=open(os.devnull, "w"))  # noqa: SIM115
        durees_chargement.append(time.perf_counter() - debut)

    hasard = random.Random(2026)
    liste = requetes(hasard)
    client = Client()
    for _, q in liste:  # warm-up: connection, caches, query plans
        assert client.get("/territoires/communes/", {"q": q}).status_code == 200

    par_categorie: dict[str, list[float]] = {}
    toutes, selecteur, requetes_sql, vides = [], [], [], 0
    for _ in range(TOURS):
        for categorie, q in liste:
            reset_queries()
            debut = time.perf_counter()
            reponse = client.get("/territoires/communes/", {"q": q})
            duree = (time.perf_counter() - debut) * 1000
            assert reponse.status_code == 200, (q, reponse.content)
            requetes_sql.append(len(connection.queries))
            vides += not reponse.json()["resultats"]
            toutes.append(duree)
            par_categorie.setdefault(categorie, []).append(duree)
            debut = time.perf_counter()
            communes_rechercher(q)
            selecteur.append((time.perf_counter() - debut) * 1000)

    base = connection.settings_dict["NAME"]
    charge = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"## Recherche de communes et chargement des territoires (base `{base}`)\n")
    print(f"Machine : {os.cpu_count()} cœurs partagés, charge moyenne (1, 5, 15 min) à la fin : {charge}.\n")
    print(
        f"`GET /territoires/communes/?q=…` en processus (Client de test Django, DEBUG={os.environ['DEBUG']}), "
        f"{len(liste)} requêtes variées × {TOURS} tours après un tour de chauffe, "
        f"{Commune.objects.count()} communes.\n"
    )
    print("| mesure | médiane | p95 | max |")
    print("|---|---|---|---|")
    print(
        f"| requête HTTP complète (vue + sérialisation JSON) | {statistics.median(toutes):.2f} ms | "
        f"{centile(toutes, 95):.2f} ms | {max(toutes):.2f} ms |"
    )
    print(
        f"| sélecteur seul (`communes_rechercher`) | {statistics.median(selecteur):.2f} ms | "
        f"{centile(selecteur, 95):.2f} ms | {max(selecteur):.2f} ms |"
    )
    print()
    print("| catégorie de requête | nombre | médiane | p95 |")
    print("|---|---|---|---|")
    for categorie, durees in par_categorie.items():
        print(
            f"| {categorie} | {len(durees) // TOURS} | {statistics.median(durees):.2f} ms | "
            f"{centile(durees, 95):.2f} ms |"
        )
    print()
    print(
        f"Requêtes SQL par appel : {min(requetes_sql)} à {max(requetes_sql)}. "
        f"Appels sans résultat : {vides // TOURS} sur {len(liste)}.\n"
    )
    print(
        f"`manage.py charger_territoires` (mise à jour de données déjà chargées, 3 exécutions) : "
        f"médiane {statistics.median(durees_chargement):.2f} s, "
        f"min {min(durees_chargement):.2f} s, max {max(durees_chargement):.2f} s."
    )


if __name__ == "__main__":
    main()
