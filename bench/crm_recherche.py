"""Search benchmark of the CRM: p50/p95 of 100 name searches, as the search page runs them
(the page of 25 results and its count), on the database filled by bench/crm_import.sh.

Usage (from the repo root):
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/portail_crm_bench .venv/bin/python bench/crm_recherche.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from crm.generation import ACTIVITES, NOMS  # noqa: E402
from crm.models import Etablissement  # noqa: E402
from crm.selectors import PaginatorPlafonne, etablissements_rechercher, recherche_tolerante  # noqa: E402


def fautes(mot: str, alea: random.Random) -> str:
    """Drop or swap one letter: the typos of someone typing on a phone."""
    if len(mot) < 5:
        return mot
    i = alea.randrange(1, len(mot) - 1)
    return mot[:i] + mot[i + 1 :] if alea.random() < 0.5 else mot[:i] + mot[i + 1] + mot[i] + mot[i + 2 :]


def requetes(nombre: int = 100) -> list[str]:
    alea = random.Random(7)
    liste = []
    for i in range(nombre):
        activite, nom = alea.choice(ACTIVITES), alea.choice(NOMS)
        genre = i % 4
        if genre == 0:
            liste.append(f"{activite} {nom}")  # exact, with accents
        elif genre == 1:
            liste.append(f"{activite.lower().replace('é', 'e').replace('â', 'a')} {fautes(nom.lower(), alea)}")
        elif genre == 2:
            liste.append(nom)  # a family name alone
        else:
            liste.append(fautes(f"{activite} {nom}", alea))
    return liste


def main() -> None:
    total = Etablissement.objects.count()
    print(f"{total} établissements en base")
    durees, resultats = [], []
    for texte in requetes():
        debut = time.perf_counter()
        with recherche_tolerante():  # as the page does: the threshold lives for this transaction only
            page = PaginatorPlafonne(etablissements_rechercher(texte=texte), 25).get_page(1)
            lignes = list(page.object_list)
        nombre = page.paginator.count
        durees.append((time.perf_counter() - debut) * 1000)
        resultats.append((texte, nombre, lignes[0].nom_recherche if lignes else "—"))
    durees_triees = sorted(durees)
    p95 = durees_triees[int(0.95 * len(durees_triees)) - 1]
    p50 = statistics.median(durees)
    print(f"100 recherches par nom : p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(durees):.0f} ms")
    lentes = sorted(zip(durees, (r[0] for r in resultats), strict=True), reverse=True)[:6]
    print("Les plus lentes : " + ", ".join(f"« {texte} » {duree:.0f} ms" for duree, texte in lentes))
    for texte, nombre, premier in resultats[:8]:
        print(f"  « {texte} » → {nombre} résultats, premier : {premier}")
    connection.close()


if __name__ == "__main__":
    main()
