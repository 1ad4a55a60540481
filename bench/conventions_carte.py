"""Benchmark: the EPCI conventions coverage page (/agents/territoires/), server side.

Runs in-process with Django's test Client (no server, no network) against a real database holding
the reference territories and the demo (`manage.py charger_territoires` then `manage.py demo`:
92 EPCI, ~110 conventions, ~190 assignments). From the repository root:

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail_conv .venv/bin/python bench/conventions_carte.py

Prints a markdown section: median, p95 and max over 50 renders (after 3 warm-up renders that fill
the map projection cache) of the whole request (middleware, view, selector, SVG map of the 92 EPCI,
template), the number of SQL queries, and the selector and the SVG map alone.
"""

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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from portal.models import User  # noqa: E402
from portal.tests.second_facteur import verifier_session_de_test  # noqa: E402
from territoires.carte import carte_region_svg  # noqa: E402
from territoires.models import EPCI, ConventionTerritoriale  # noqa: E402
from territoires.selectors_conventions import couverture_calculer  # noqa: E402

RENDUS = 50
CHAUFFE = 3
URL = "/agents/territoires/"


def mesurer(fonction, n: int = RENDUS) -> list[float]:
    for _ in range(CHAUFFE):
        fonction()
    durees = []
    for _ in range(n):
        debut = time.perf_counter()
        fonction()
        durees.append((time.perf_counter() - debut) * 1000)
    return durees


def ligne(nom: str, durees: list[float]) -> str:
    durees = sorted(durees)
    p95 = durees[max(0, int(round(0.95 * len(durees))) - 1)]
    return f"| {nom} | {statistics.median(durees):.2f} ms | {p95:.2f} ms | {max(durees):.2f} ms |"


def main() -> None:
    nb_epci = EPCI.objects.count()
    if nb_epci != 92:
        sys.exit(f"La base doit contenir les 92 EPCI (elle en a {nb_epci}) : lancez charger_territoires et demo.")
    agent = User.objects.filter(email="pilotage@demo.hautsdefrance.fr").first()
    if agent is None:
        sys.exit("Compte pilotage@demo.hautsdefrance.fr absent : lancez « manage.py demo ».")
    client = Client()
    client.force_login(agent)
    verifier_session_de_test(client, agent)  # staff pages need the second factor

    def page():
        reponse = client.get(URL)
        assert reponse.status_code == 200 and reponse.content.count(b'<path class="epci conv-') == 92

    with CaptureQueriesContext(connection) as requetes:
        page()
    pleine = mesurer(page)
    selecteur = mesurer(couverture_calculer)
    couverture = couverture_calculer()
    classes = {lg.epci.siren: f"conv-{lg.categorie}" for lg in couverture.lignes}
    carte = mesurer(lambda: carte_region_svg(classes, "Carte", "Description", lien=lambda s: f"/epci/{s}/"))

    charge = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print("## Conventions EPCI : page de couverture (carte des 92 EPCI)\n")
    print(
        f"{nb_epci} EPCI, {ConventionTerritoriale.objects.count()} conventions ; {RENDUS} rendus après "
        f"{CHAUFFE} de chauffe, en processus (Client de test Django, DEBUG=1) ; "
        f"{len(requetes)} requêtes SQL par page ; charge moyenne (1, 5, 15 min) à la fin : {charge}.\n"
    )
    print("| mesure | médiane | p95 | max |")
    print("|---|---|---|---|")
    print(ligne(f"`GET {URL}` complet (vue, sélecteur, carte SVG, gabarit)", pleine))
    print(ligne("sélecteur seul (`couverture_calculer`)", selecteur))
    print(ligne("carte SVG seule (`carte_region_svg`, 92 liens)", carte))


if __name__ == "__main__":
    main()
