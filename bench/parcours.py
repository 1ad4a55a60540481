"""Benchmark: the parcours recommendation for one profile over 5,000 published dispositifs.

Runs in-process against a real database (no server). Makes sure the database holds at least 5,000
published dispositifs (runs `manage.py generer_volume --dispositifs N --graine 42` for the missing
ones) and territories (`charger_territoires`). From the repository root:

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail .venv/bin/python bench/parcours.py

Prints a markdown section. Measured separately, median and p95 over RUNS runs after a warm-up:
- the selector: loading the published catalogue with its coverage ids (three SQL queries: the cached
  path), and the uncached path's selector (the open aids covering the commune; the others counted);
- the pure function `recommander` (rules, reasons, ordering) for each of several profiles;
- `assembler` (filling the parcours templates' steps);
- the whole `proposition_calculer` without cache, and with the per-process catalogue cache;
- the whole page `GET /parcours/?…` through Django's test Client, without and with the cache.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["ALLOWED_HOSTS"] = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1") + ",testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from aides.models import Dispositif  # noqa: E402
from parcours import views  # noqa: E402
from parcours.profil import Profil  # noqa: E402
from parcours.recommandation import assembler, recommander  # noqa: E402
from parcours.selectors import (  # noqa: E402
    cache_catalogue,
    catalogue_charger,
    catalogue_pour,
    parcours_charger,
    proposition_calculer,
    territoire_de,
)
from territoires.models import Commune  # noqa: E402

CIBLE = 5000
RUNS = int(os.environ.get("RUNS", "30"))

PROFILS = {
    "artisan, commune rurale de l'Aisne, investir + numériser": Profil(
        commune="02007", stade="developpement", effectif=3, naf="43.22A", statuts=("artisan",),
        projets=("investir", "numeriser"),
    ),
    "industrie 200 salariés MEL, exporter": Profil(
        commune="59512", stade="developpement", effectif=200, naf="25.62B", projets=("exporter",)
    ),
    "start-up prototype à Amiens": Profil(
        commune="80021", stade="recente", taille="1-9", statuts=("startup",), projets=("innover",),
        maturite="prototype",
    ),
    "commerçante en difficulté à Calais": Profil(
        commune="62193", stade="difficulte", effectif=2, naf="47.71Z", statuts=("commercant",),
        projets=("difficulte",),
    ),
    "commune seule (aucun filtre : le plus de recommandations)": Profil(commune="80021"),
}  # fmt: skip


def mesurer(fonction, runs: int = RUNS) -> tuple[float, float]:
    fonction()  # warm-up
    durees = []
    for _ in range(runs):
        debut = time.perf_counter()
        fonction()
        durees.append((time.perf_counter() - debut) * 1000)
    durees.sort()
    return statistics.median(durees), durees[min(len(durees) - 1, int(len(durees) * 0.95))]


def ligne(libelle: str, fonction) -> None:
    mediane, p95 = mesurer(fonction)
    print(f"| {libelle} | {mediane:.1f} ms | {p95:.1f} ms |")


def main() -> None:
    if not Commune.objects.exists():
        call_command("charger_territoires")
    publies = Dispositif.objects.publies().count()
    if publies < CIBLE:
        call_command("generer_volume", dispositifs=CIBLE - publies, graine=42)
    publies = Dispositif.objects.publies().count()
    catalogue = catalogue_charger()
    gabarits = parcours_charger()
    communes = {
        c.code_insee: c
        for c in Commune.objects.avec_territoire().filter(code_insee__in=["02007", "59512", "80021", "62193"])
    }

    charge = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Catalogue : {publies} dispositifs publiés ({len(catalogue)} chargés), {len(gabarits)} parcours types. ")
    print(f"Machine : 2 cœurs partagés, charge moyenne (1, 5, 15 min) au début : {charge}. ")
    print(f"Médiane et p95 sur {RUNS} passages après un passage de chauffe.\n")
    print("| mesure | médiane | p95 |")
    print("|---|---|---|")
    ligne("sélecteur : chargement du catalogue publié avec ses couvertures (3 requêtes SQL)", catalogue_charger)
    for code, nom in (("59512", "Roubaix (MEL)"), ("80021", "Amiens")):
        territoire = territoire_de(communes[code])
        ouvertes, ecartees = catalogue_pour(territoire, datetime.date.today())
        ligne(
            f"sélecteur sans cache : aides ouvertes couvrant {nom} ({len(ouvertes)} chargées, "
            f"{sum(ecartees.values())} fermées, à venir ou d'un autre territoire seulement comptées ; 4 requêtes SQL)",
            lambda t=territoire: catalogue_pour(t, datetime.date.today()),
        )
    ligne("sélecteur : parcours types et étapes (2 requêtes SQL)", parcours_charger)
    for nom, profil in PROFILS.items():
        territoire = territoire_de(communes[profil.commune])
        resultat = recommander(profil, catalogue, territoire=territoire)
        ligne(
            f"fonction pure `recommander`, {nom} ({len(resultat.recommandes)} recommandées, "
            f"{resultat.nombre_ecartes} écartées)",
            lambda p=profil, t=territoire: recommander(p, catalogue, territoire=t),
        )
    profil = PROFILS["industrie 200 salariés MEL, exporter"]
    resultat = recommander(profil, catalogue, territoire=territoire_de(communes[profil.commune]))
    ligne(
        "`assembler` (remplir les étapes des parcours types), industrie MEL",
        lambda: assembler(profil, resultat, gabarits),
    )
    commune = communes[profil.commune]
    ligne(
        "`proposition_calculer` complet sans cache (catalogue + règles + parcours + contact), industrie MEL",
        lambda: proposition_calculer(profil=profil, commune=commune),
    )
    ligne(
        "pour comparaison, le chemin sans cache d'avant la revue (catalogue entier chargé puis `recommander`), "
        "avec la fonction pure actuelle, industrie MEL",
        lambda: recommander(profil, catalogue_charger(), territoire=territoire_de(commune)),
    )
    cache_catalogue.vider()
    ligne(
        "`proposition_calculer` complet, catalogue en cache de processus (1 requête de version), industrie MEL",
        lambda: proposition_calculer(profil=profil, commune=commune, duree_cache=300),
    )
    client = Client()
    url = f"/parcours/?{profil.querystring()}"
    assert client.get(url).status_code == 200
    views.DUREE_CACHE_CATALOGUE = 0
    ligne(
        "page complète `GET /parcours/?…` sans cache (Client de test, rendu HTML), industrie MEL",
        lambda: client.get(url),
    )
    views.DUREE_CACHE_CATALOGUE = 300
    ligne("page complète `GET /parcours/?…` avec le cache (réglage par défaut), industrie MEL", lambda: client.get(url))
    print(f"\nCharge moyenne à la fin : {', '.join(f'{x:.2f}' for x in os.getloadavg())}.")


if __name__ == "__main__":
    main()
