"""Benchmark of the public catalogue at 5,000 dispositifs, over HTTP, against a trivial page as the floor.

From the repository root (needs PostgreSQL and Debian's `wrk`: `apt-get install wrk`):

    .venv/bin/python bench/catalogue.py [--dispositifs 5000] [--workers 2] [--clients 10] [--duree 20]

What it does:
1. creates its own database (--base, default portail_bench_catalogue, marked as the benchmark's; an
   existing database it did not create is refused), migrates it,
   loads the territories and tops it up to N published dispositifs with `generer_volume` (seed 2026);
2. collects the static files into a temporary folder and starts gunicorn (production settings,
   DEBUG=0, sync workers) on a free port of 127.0.0.1;
3. for each URL, a warm-up, `wrk -c1` (service time without queueing), then
   `wrk -t1 -c<clients> -d<duree>s` (one thread, 10 connections, closed loop); p50/p95/p99 from
   wrk's latency histogram, throughput = requests / s;
4. prints a markdown section and writes it to bench/RESULTATS-cata.md.

The floor is /accessibilite/: a template page of the same layout, no database query, no session.
Drop the database afterwards with `psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE portail_bench_catalogue'`.
"""

import argparse
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
PY = str(RACINE / ".venv" / "bin" / "python")
GUNICORN = str(RACINE / ".venv" / "bin" / "gunicorn")
sys.path.insert(0, str(RACINE))
from bench.base_dediee import preparer_base  # noqa: E402

RAPPORT_LUA = RACINE / "bench" / "catalogue_wrk.lua"
RESULTATS = RACINE / "bench" / "RESULTATS-cata.md"

URLS = [
    ("plancher : page sans base de données", "/accessibilite/"),
    ("catalogue : texte + commune", "/aides/?q=numerique&commune=80021"),
    ("catalogue : sans filtre", "/aides/"),
    ("catalogue : texte + commune + facettes, page 2", "/aides/?q=aide&commune=80021&nature=pret&taille=10-49&page=2"),
    (
        "catalogue : facettes lourdes (texte + commune + 2 thèmes + taille, page 2)",
        "/aides/?q=entreprise&commune=80021&thematique=innovation&thematique=numerique&taille=10-49&page=2",
    ),
    ("API JSON : texte", "/api/v1/aides/?q=export"),
    ("fiche d'une aide", "/aides/volume-100/"),
]  # fmt: skip


def executer(*commande: str, env: dict) -> str:
    resultat = subprocess.run(commande, cwd=RACINE, env=env, capture_output=True, text=True)
    if resultat.returncode:
        sys.exit(f"Échec de « {' '.join(commande[1:])} » :\n{(resultat.stdout + resultat.stderr)[-3000:]}")
    return resultat.stdout


def remplir_base(nombre: int, env: dict) -> int:
    executer(PY, "manage.py", "migrate", "-v0", env=env)
    executer(PY, "manage.py", "charger_territoires", env=env)
    code = (
        "from aides.models import Dispositif; "
        "print(Dispositif.objects.publies().filter(slug__startswith='volume-').count())"
    )
    existants = int(executer(PY, "manage.py", "shell", "-c", code, env=env).strip().splitlines()[-1])
    if existants < nombre:
        debut = time.perf_counter()
        executer(
            PY, "manage.py", "generer_volume", "--dispositifs", str(nombre - existants), "--graine", "2026", env=env
        )
        print(f"{nombre - existants} dispositifs générés en {time.perf_counter() - debut:.1f} s", file=sys.stderr)
    total = "from aides.models import Dispositif; print(Dispositif.objects.publies().count())"
    executer(
        PY,
        "manage.py",
        "shell",
        "-c",
        "from django.db import connection; connection.cursor().execute('ANALYZE')",
        env=env,
    )
    return int(executer(PY, "manage.py", "shell", "-c", total, env=env).strip().splitlines()[-1])


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def attendre_serveur(url: str, delai: float = 30) -> None:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        try:
            with urllib.request.urlopen(url, timeout=2) as reponse:
                if reponse.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn ne répond pas sur {url}")


def cpu_workers(maitre: int) -> float:
    """CPU seconds (user + system) used so far by the gunicorn workers, children of `maitre`."""
    tic = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for dossier in Path("/proc").iterdir():
        if not dossier.name.isdigit():
            continue
        try:
            champs = (dossier / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(champs[1]) == maitre:  # ppid
            total += (int(champs[11]) + int(champs[12])) / tic  # utime, stime
    return total


def mesurer(url: str, clients: int, duree: int) -> dict:
    for _ in range(20):  # warm-up: each worker's first requests compile templates and open connections
        urllib.request.urlopen(url, timeout=10).read()
    sortie = subprocess.run(
        ["wrk", "-t1", f"-c{clients}", f"-d{duree}s", "--timeout", "10s", "-s", str(RAPPORT_LUA), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    ligne = next(ligne for ligne in sortie.splitlines() if ligne.startswith("RESULTAT "))
    valeurs = dict(re.findall(r"(\w+)=([\d.]+)", ligne))
    return {cle: float(valeur) for cle, valeur in valeurs.items()}


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--dispositifs", type=int, default=5000)
    arguments.add_argument("--workers", type=int, default=2)
    arguments.add_argument("--clients", type=int, default=10)
    arguments.add_argument("--duree", type=int, default=20, help="secondes de mesure par adresse")
    arguments.add_argument("--sortie", default=str(RESULTATS))
    arguments.add_argument(
        "--cache", type=int, default=120, help="CATALOGUE_CACHE_FACETTES_SECONDES du serveur (0 : sans cache partagé)"
    )
    arguments.add_argument(
        "--cache-page",
        type=int,
        default=0,
        help="1 : garder aussi la page rendue d'un visiteur anonyme (CATALOGUE_CACHE_PAGE_ANONYME) ; "
        "0 (défaut) : chaque requête rend la page, comme pour une recherche jamais servie",
    )
    arguments.add_argument("--base", default="portail_bench_catalogue", help="base créée et utilisée par le bench")
    options = arguments.parse_args()

    preparer_base(options.base, "bench_catalogue_marqueur")  # its own database, any other is refused
    base_url = os.environ["DATABASE_URL"]
    env_dev = {**os.environ, "DEBUG": "1", "DATABASE_URL": base_url}
    total = remplir_base(options.dispositifs, env_dev)

    statiques = tempfile.mkdtemp(prefix="bench-catalogue-static-")
    port = port_libre()
    env_prod = {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": base_url,
        "SECRET_KEY": "bench-seulement-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": statiques,
        "LOG_LEVEL": "WARNING",
        # The shared cache (Redis) under a prefix of its own, emptied by a new generation at start.
        "CACHE_PREFIXE": f"bench-catalogue-{os.getpid()}",
        "CATALOGUE_CACHE_FACETTES_SECONDES": str(options.cache),
        "CATALOGUE_CACHE_PAGE_ANONYME": str(options.cache_page),
        # The open API's per-address limit (120 a minute) would answer 429 to nearly every request
        # of the load test, all coming from 127.0.0.1: measured without it.
        "LIMITE_API": "0,0,60",
    }
    executer(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env_prod)
    serveur = subprocess.Popen(
        [GUNICORN, "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(options.workers), "--log-level", "warning"],
        cwd=RACINE,
        env=env_prod,
        start_new_session=True,
    )
    lignes = []
    debits: dict[str, float] = {}
    try:
        racine_url = f"http://127.0.0.1:{port}"
        attendre_serveur(racine_url + "/accessibilite/")
        charge_avant = os.getloadavg()
        for libelle, chemin in URLS:
            seul = mesurer(racine_url + chemin, 1, max(3, options.duree // 4))
            cpu_avant = cpu_workers(serveur.pid)
            r = mesurer(racine_url + chemin, options.clients, options.duree)
            cpu = (cpu_workers(serveur.pid) - cpu_avant) / r["requetes"] * 1000
            debit = r["requetes"] / r["duree_s"]
            debits[chemin] = debit
            lignes.append(
                f"| {libelle} | `{chemin}` | {cpu:.1f} ms | {seul['p50_ms']:.1f} ms | {r['p50_ms']:.1f} ms "
                f"| {r['p95_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {debit:.0f} req/s "
                f"| {int(r['erreurs'] + r['non2xx'] + seul['non2xx'])} |"
            )
            print(lignes[-1], file=sys.stderr)
        charge_apres = os.getloadavg()
    finally:
        serveur.terminate()
        serveur.wait(timeout=20)

    commande = (
        f".venv/bin/python bench/catalogue.py --dispositifs {options.dispositifs} --workers {options.workers} "
        f"--clients {options.clients} --duree {options.duree} --cache {options.cache} "
        f"--cache-page {options.cache_page}"
    )
    plancher = debits[URLS[0][1]]
    rapports = [
        f"- {libelle} : {debits[chemin] / plancher:.1%} du débit du plancher"
        for libelle, chemin in URLS[1:]
        if chemin in debits
    ]
    print("\n".join(rapports), file=sys.stderr)
    rapport = f"""## Catalogue public (aide « cata »)

Mesuré : `/aides/` (recherche plein texte + filtre commune, et variantes), `/api/v1/aides/?q=export`
et une fiche, contre `/accessibilite/` (même gabarit, aucune requête SQL) comme plancher, sur une
base de {total} dispositifs publiés (générés par `manage.py generer_volume`, graine 2026 : moitié
région entière, 30 % sur 1-2 départements, 20 % sur 1-3 EPCI, 10 % clôturés).

Serveur : gunicorn {options.workers} workers synchrones (un par cœur ; 3 workers ou des threads
`gthread` n'ont pas fait mieux à l'essai), réglages de production (`DEBUG=0`,
WhiteNoise, connexions PostgreSQL persistantes `DB_CONN_MAX_AGE=60`), 127.0.0.1.
Charge : `wrk -t1 -c{options.clients} -d{options.duree}s` (1 fil, {options.clients} connexions en
boucle fermée, soit {options.clients} clients simultanés ; les workers synchrones de gunicorn ferment
la connexion après chaque réponse, wrk la rouvre), après 20 requêtes de chauffe
par adresse ; percentiles de l'histogramme de latence de wrk (script `bench/catalogue_wrk.lua`).
« p50 à 1 client » : la même adresse avec une seule connexion (temps de service sans file d'attente).
« CPU worker / requête » : temps CPU (utilisateur + système, `/proc/<pid>/stat`) consommé par les
workers gunicorn pendant la mesure à {options.clients} clients, divisé par le nombre de requêtes :
le coût Python d'une requête, peu sensible aux autres processus de la machine (PostgreSQL non compris).

Machine : {os.cpu_count()} cœurs ({platform.processor() or platform.machine()}), partagés avec
PostgreSQL, wrk et d'autres sessions de travail ; charge moyenne (1, 5, 15 min) avant :
{", ".join(f"{c:.2f}" for c in charge_avant)} ; après : {", ".join(f"{c:.2f}" for c in charge_apres)}.

Commande : `{commande}`

| mesure | adresse | CPU worker / requête | p50 à 1 client | p50 | p95 | p99 | débit | erreurs |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(lignes)}

Débit de chaque adresse rapporté à celui du plancher (cache partagé des comptes et des lignes de
chaque page : `CATALOGUE_CACHE_FACETTES_SECONDES={options.cache}` ; page rendue gardée pour un
visiteur anonyme : `CATALOGUE_CACHE_PAGE_ANONYME={options.cache_page}`) :

{chr(10).join(rapports)}

Objectifs : p95 de la recherche du catalogue sous 150 ms à 5 000 dispositifs et 10 clients (#3) ;
page à facettes lourdes ≥ 10 % du plancher et texte + commune ≥ 25 % (#15).
"""
    print(rapport)
    Path(options.sortie).write_text(rapport, encoding="utf-8")


if __name__ == "__main__":
    main()
