"""Export benchmark: the inbox's export of 20,000 applications with 30 form answers each (XLSX, CSV).

Creates its own database (default `portail_bench_export`, marked as the benchmark's) and refuses any
existing database it did not create. Fills it once with N deposited applications (N - petit
« déposée », `petit` « en instruction ») of one dispositif whose form has 30 questions of its own
(texts, long texts, amounts, numbers, dates, choices, yes/no, a repeated block of three lines),
all answered, plus the generic questions (title, project, start date, two expense lines).

Then runs the export task synchronously, as the Celery worker does (`portal.documents.document_generer`
on an export's document: the inbox's filter, the rows read by chunks, written to a temporary file,
stored), for each format and two sizes (« en instruction »: `petit` rows; every state: N rows).
Each run is a fresh subprocess, so that its peak RSS (`resource.getrusage`) is its own; a second
subprocess per run measures the peak of Python allocations with `tracemalloc` (slower: its time is
not the one reported). Flat memory = the same peak at 2,000 and at 20,000 rows. Prints a markdown
table for bench/README.md.

Usage (from the repo root):
    DEBUG=1 .venv/bin/python bench/export_demandes.py [--base portail_bench_export] [--demandes 20000] [--petit 2000]
Drop the database afterwards: psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE portail_bench_export'
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.base_dediee import preparer_base  # noqa: E402

MARQUEUR = "bench_export_marqueur"
SLUG = "bench-export-formulaire"
AGENT = "bench-export-instructeur@hautsdefrance.fr"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="portail_bench_export", help="base créée et utilisée par le bench")
    parser.add_argument("--demandes", type=int, default=20000, help="demandes déposées en tout")
    parser.add_argument("--petit", type=int, default=2000, help="demandes « en instruction » (la petite mesure)")
    parser.add_argument("--formats", default="xlsx,csv", help="formats mesurés, séparés par des virgules")
    parser.add_argument("--mesurer", nargs=2, metavar=("FORMAT", "REQUETE"), help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def _q(code, libelle, type_, **autres):
    return {"code": code, "libelle": libelle, "type": type_, "aide": "", "requis": False,
            "options": autres.get("options", []), "min": None, "max": None, "date_min": "", "date_max": "",
            "bloquant": None, "cible": autres.get("cible", ""), "preremplir": "", "coffre": "",
            **({"champs": autres["champs"]} if "champs" in autres else {})}  # fmt: skip


def questions() -> list[dict]:
    """30 questions of the dispositif's own: 10 texts, 5 long texts, 5 amounts, 3 numbers, 3 dates,
    2 choices, 1 yes/no, 1 repeated block (two columns)."""
    liste = [_q(f"texte_{i}", f"Texte {i}", "texte") for i in range(10)]
    liste += [_q(f"long_{i}", f"Texte long {i}", "texte_long") for i in range(5)]
    liste += [_q(f"montant_{i}", f"Montant {i}", "montant") for i in range(5)]
    liste += [_q(f"nombre_{i}", f"Nombre {i}", "nombre") for i in range(3)]
    liste += [_q(f"date_{i}", f"Date {i}", "date") for i in range(3)]
    liste += [_q(f"choix_{i}", f"Choix {i}", "choix", options=["Bois", "Textile", "Métal"]) for i in range(2)]
    liste.append(_q("export", "Exportez-vous ?", "oui_non"))
    liste.append(
        _q("partenaires", "Partenaires", "bloc", champs=[_q("nom", "Nom", "texte"), _q("part", "Part", "montant")])
    )
    return liste


def reponses(i: int) -> dict:
    valeurs = {}
    for q in questions():
        code, type_ = q["code"], q["type"]
        if type_ == "texte":
            valeurs[code] = f"Réponse {code} de la demande {i}"
        elif type_ == "texte_long":
            valeurs[code] = f"Un texte plus long pour la demande {i}, question {code}. " * 4
        elif type_ in ("montant", "nombre"):
            valeurs[code] = str(1000 + i % 977)
        elif type_ == "date":
            valeurs[code] = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
        elif type_ == "choix":
            valeurs[code] = q["options"][i % 3]
        elif type_ == "oui_non":
            valeurs[code] = "oui" if i % 2 else "non"
        else:
            valeurs[code] = [{"nom": f"Partenaire {i}-{n}", "part": str(100 * n + 50)} for n in range(3)]
    return valeurs


def remplir(nombre: int, petit: int) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from stdnum import luhn

    from aides.demandes.formulaire import SCHEMA_DEFAUT
    from aides.models import Demande, Dispositif, LigneDepense, Statut
    from crm.models import Entreprise, Etablissement
    from formulaires.services import formulaire_depuis_schema
    from portal.models import Direction, User
    from portal.roles import Role

    call_command("migrate", verbosity=0)
    agent, _ = User.objects.get_or_create(email=AGENT, defaults={"is_staff": True, "first_name": "Inès"})
    agent.groups.add(Group.objects.get_or_create(name=Role.INSTRUCTEUR.value)[0])
    if Demande.objects.filter(dispositif__slug=SLUG).count() >= nombre:
        return
    schema = {
        "sections": [
            *SCHEMA_DEFAUT["sections"],
            {"code": "section_3", "titre": "Questions du dispositif", "aide": "", "eligibilite": False,
             "condition": None, "champs": questions()},
        ]
    }  # fmt: skip
    version = formulaire_depuis_schema(nom="Formulaire bench export", schema=schema)
    dispositif = Dispositif.objects.create(
        slug=SLUG,
        nom="Dispositif bench export",
        resume="Bench",
        nature="subvention",
        direction=Direction.objects.get(code="DAEN"),
        statut="publie",
        publie_le=timezone.now(),
        thematiques=["numerique"],
        formulaire=version.formulaire,
    )
    demandeur, _ = User.objects.get_or_create(email="bench-export-entreprise@example.org")
    etablissements = []
    for i in range(200):
        siren = f"{81_000_000 + i:08d}"
        siren += luhn.calc_check_digit(siren)
        entreprise, _ = Entreprise.objects.get_or_create(siren=siren, defaults={"denomination": f"Export {i}"})
        siret = siren + "0001"
        siret += luhn.calc_check_digit(siret)
        etablissement, _ = Etablissement.objects.get_or_create(siret=siret, defaults={"entreprise": entreprise})
        etablissements.append(etablissement)
    maintenant = timezone.now()
    for debut in range(0, nombre, 2000):
        lot = [
            Demande(
                etablissement=etablissements[i % 200],
                dispositif=dispositif,
                demandeur=demandeur,
                intitule=f"Projet export {i}",
                projet=f"Description du projet {i}",
                date_debut_projet=maintenant.date() + timedelta(days=30),
                montant_demande=Decimal(10000 + i % 5000),
                statut=Statut.EN_INSTRUCTION if i < petit else Statut.DEPOSEE,
                instructeur=agent if i < petit else None,
                numero_depot=f"X-{i:07d}",
                depose_le=maintenant - timedelta(minutes=i),
                version_formulaire=version,
                reponses=reponses(i),
            )
            for i in range(debut, min(debut + 2000, nombre))
        ]
        Demande.objects.bulk_create(lot)
        LigneDepense.objects.bulk_create(
            LigneDepense(demande=d, nature=f"Poste {n}", montant_ht=Decimal(5000 * (n + 1)), ordre=n)
            for d in lot
            for n in range(2)
        )
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE")


def _memoire(cle: str) -> float | None:
    """VmRSS (now) or VmHWM (peak) of this process in MB, from /proc/self/status."""
    try:
        for ligne in Path("/proc/self/status").read_text().splitlines():
            if ligne.startswith(cle + ":"):
                return round(int(ligne.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _remettre_pic_a_zero() -> bool:
    """Linux: writing 5 to /proc/self/clear_refs resets the peak RSS (VmHWM) to the current RSS, so
    the peak measured is the export's, not the start-up's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def mesurer(format: str, requete: str, avec_tracemalloc: bool) -> dict:
    """In this (fresh) process: one export, as the worker runs it."""
    import resource
    import tempfile
    import tracemalloc

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aides.demandes.models.filtres import ExportDemandes
    from aides.demandes.services.filtres import GENRES_EXPORT
    from portal.documents import document_generer
    from portal.models import Document, User

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-export-")
    agent = User.objects.get(email=AGENT)
    document = Document.objects.create(genre=GENRES_EXPORT[format], demande_par=agent)
    ExportDemandes.objects.create(document=document, demande_par=agent, format=format, requete=requete)
    import gc

    gc.collect()
    avant = _memoire("VmRSS")
    remis_a_zero = _remettre_pic_a_zero()
    if avec_tracemalloc:
        tracemalloc.start()
    debut, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as requetes:
        document_generer(document_id=str(document.pk))
    duree, cpu = time.perf_counter() - debut, time.process_time() - cpu
    pic_python = tracemalloc.get_traced_memory()[1] if avec_tracemalloc else None
    document.refresh_from_db()
    assert document.pret, document.erreur
    resultat = {
        "secondes": round(duree, 1),
        # this process's CPU time: what the export costs on a core of its own (the machine is shared)
        "cpu_s": round(cpu, 1),
        "rss_avant_mo": avant,
        # the export's own peak (VmHWM reset before it); else the process's, start-up included
        "rss_pic_mo": _memoire("VmHWM")
        if remis_a_zero
        else round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "tracemalloc_pic_mo": round(pic_python / 2**20, 1) if pic_python is not None else None,
        "taille_mo": round(document.taille / 2**20, 1),
        "requetes": len(requetes),
        "progression": document.progression,
    }
    resultat["lignes_ecrites"] = _lignes_du_fichier(document, format)
    document.fichier.delete(save=False)
    return resultat


def _lignes_du_fichier(document, format: str) -> int:
    """The rows of the stored file, header excluded (what was really written)."""
    from openpyxl import load_workbook

    with document.fichier.open("rb") as fichier:
        if format == "xlsx":
            feuille = load_workbook(fichier, read_only=True).active  # write-only files carry no dimension
            return sum(1 for _ in feuille.iter_rows(max_col=1, values_only=True)) - 1
        return sum(1 for _ in fichier) - 1


def sous_processus(args, format: str, requete: str, avec_tracemalloc: bool) -> dict:
    commande = [sys.executable, __file__, "--base", args.base, "--mesurer", format, requete]
    if avec_tracemalloc:
        commande.append("--tracemalloc")
    sortie = subprocess.run(commande, check=True, capture_output=True, text=True, env=os.environ.copy()).stdout
    return json.loads(sortie.strip().splitlines()[-1])


def main() -> None:
    args = arguments()
    preparer_base(args.base, MARQUEUR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    if args.mesurer:
        print(json.dumps(mesurer(*args.mesurer, args.tracemalloc)))
        return
    debut = time.perf_counter()
    remplir(args.demandes, args.petit)
    print(f"Base prête en {time.perf_counter() - debut:.0f} s ({args.demandes} demandes, 30 questions chacune)")
    print()
    print("| format | lignes | durée (s) | CPU (s) | RSS avant Mo | RSS pic Mo | tracemalloc Mo | fichier Mo | SQL |")
    print("|---|---|---|---|---|---|---|---|---|")
    for format in args.formats.split(","):
        for lignes, requete in ((args.petit, "statut=en_instruction"), (args.demandes, "statut=")):
            r = sous_processus(args, format, requete, False)
            t = sous_processus(args, format, requete, True)
            assert r["lignes_ecrites"] == lignes, (r, lignes)
            print(
                f"| {format.upper()} | {r['lignes_ecrites']:,} ".replace(",", " ")
                + f"| {r['secondes']} | {r['cpu_s']} | {r['rss_avant_mo']} | {r['rss_pic_mo']} "
                + f"| {t['tracemalloc_pic_mo']} | {r['taille_mo']} | {r['requetes']} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
