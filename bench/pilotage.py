"""Pilotage benchmark: the statistics pages at 20,000 applications and 50,000 conventions.

Creates its own database (default `portail_bench_pilotage`, marked as the benchmark's) and refuses
any existing database it did not create. Loads the territories, then fills (once, idempotently)
20,000 deposited applications over three years (decisions, indicator values), 50,000 granted
applications with their conventions spread over the signature circuit (aides.conventions.demo),
Région signatures and payments, 20,000 requests and 10,000 surveys with answers. Then renders each
statistics page N times through the Django test client (full middleware, templates, PostgreSQL)
and prints p50/p95 and the number of SQL queries per page, without the statistics cache
(`STATISTIQUES_CACHE_SECONDES=0`: every figure read again from the table of facts) and with it
(first render excluded), as a markdown table for bench/README.md. The table of facts
(pilotage.agregats) is rebuilt twice first, as the hourly task does it (rebuild, VACUUM, warm-up of
the statistics cache), and the time of each step printed. Last, the first render of each default
view right after a rebuild and its warm-up (what the first visitor after a rebuild waits).

Usage (from the repo root):
    DEBUG=1 .venv/bin/python bench/pilotage.py [--base portail_bench_pilotage] [--fois 30]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.base_dediee import django_demarrer  # noqa: E402

MARQUEUR = "bench_pilotage_marqueur"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="portail_bench_pilotage", help="base créée et utilisée par le bench")
    parser.add_argument("--demandes", type=int, default=20000, help="demandes déposées (hors conventions)")
    parser.add_argument("--conventions", type=int, default=50000, help="conventions d'aide")
    parser.add_argument("--fois", type=int, default=30, help="rendus par page")
    return parser.parse_args()


def remplir(nb_demandes: int, nb_conventions: int) -> None:
    import random
    from datetime import timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from stdnum import luhn

    from aides.conventions.demo import conventions_en_masse
    from aides.models import (
        ConventionAide,
        Demande,
        Dispositif,
        Etape,
        EtapeConvention,
        Statut,
        TypeIndicateur,
        ValeurIndicateur,
        Versement,
    )
    from crm.models import Entreprise, Etablissement, Sollicitation
    from pilotage.models import Enquete, ReponseEnquete
    from portal.models import Direction, User
    from territoires.models import Commune

    if not Commune.objects.exists():
        call_command("charger_territoires")
    if Demande.objects.filter(intitule__startswith="Bench pilotage").count() >= nb_demandes:
        return
    hasard = random.Random(16)
    maintenant = timezone.now()
    directions = list(Direction.objects.all())
    themes = ["innovation", "numerique", "export-attractivite", "tpe-proximite", "emploi-rh", "filieres"]
    dispositifs = []
    for i in range(40):
        dispositif, _ = Dispositif.objects.get_or_create(
            slug=f"bench-pilotage-{i}",
            defaults={
                "nom": f"Dispositif bench pilotage {i}",
                "resume": "Bench",
                "nature": "subvention",
                "direction": directions[i % len(directions)],
                "statut": "publie",
                "publie_le": maintenant,
                "thematiques": [themes[i % len(themes)], themes[(i * 7) % len(themes)]],
                "regime": "de-minimis" if i % 3 == 0 else "aucun",
            },
        )
        dispositifs.append(Dispositif.objects.select_related("direction").get(pk=dispositif.pk))
    types = list(TypeIndicateur.objects.all())
    communes = list(Commune.objects.order_by("?")[:400])
    demandeur, _ = User.objects.get_or_create(email="bench-pilotage-entreprise@example.org")
    etablissements = []
    for i in range(3000):
        base = f"6{i:07d}"
        siren = base + luhn.calc_check_digit(base)
        entreprise, _ = Entreprise.objects.get_or_create(
            siren=siren,
            defaults={
                "denomination": f"Bench pilotage {i}",
                "naf": hasard.choice(["62.01Z", "10.71C", "25.62B", "47.11B", "43.21A"]),
                "tranche_effectifs": hasard.choice(["00", "01", "02", "11", "12", "21"]),
            },
        )
        siret = siren + "0001"
        siret += luhn.calc_check_digit(siret)
        etablissement, _ = Etablissement.objects.get_or_create(
            siret=siret, defaults={"entreprise": entreprise, "commune": communes[i % len(communes)]}
        )
        etablissements.append(etablissement)
    print("  établissements prêts", flush=True)

    demandes = []
    for i in range(nb_demandes):
        age = hasard.randint(0, 3 * 365)
        depose = maintenant - timedelta(days=age)
        montant = Decimal(hasard.choice([5000, 15000, 30000, 80000]))
        decide, statut, accorde = None, Statut.EN_INSTRUCTION, None
        if age > 30:
            statut = hasard.choice([Statut.ACCORDEE, Statut.ACCORDEE, Statut.REFUSEE])
            decide = depose + timedelta(days=hasard.randint(5, 120))
            accorde = montant if statut == Statut.ACCORDEE else None
        demandes.append(
            Demande(
                etablissement=hasard.choice(etablissements), dispositif=hasard.choice(dispositifs),
                demandeur=demandeur, intitule=f"Bench pilotage {i}", montant_demande=montant,
                montant_accorde=accorde, statut=statut, numero_depot=f"BP{i:08d}", depose_le=depose, decidee_le=decide,
            )
        )  # fmt: skip
    demandes = Demande.objects.bulk_create(demandes, batch_size=5000)
    ValeurIndicateur.objects.bulk_create(
        [
            ValeurIndicateur(demande=d, type=hasard.choice(types), valeur_prevue=Decimal(hasard.randint(1, 20)))
            for d in demandes
            if d.statut == Statut.ACCORDEE
        ],
        batch_size=5000,
    )
    print(f"  {len(demandes)} demandes", flush=True)

    existantes = ConventionAide.objects.count()
    while existantes < nb_conventions:
        n = min(5000, nb_conventions - existantes)
        conventions_en_masse(
            n, etablissements=etablissements, dispositifs=dispositifs, demandeur=demandeur, graine=existantes + 1
        )
        existantes += n
        print(f"  {existantes} conventions", flush=True)
    # conventions_en_masse dates every decision 300 days ago: spread the granted applications over
    # three years (deposit, decision and the convention's steps shift together), as in real life.
    with transaction.atomic(), connection.cursor() as curseur:
        # The history is append-only (a trigger): in this benchmark's own database only, the dates
        # are moved once, at fill time, with the trigger off for this transaction.
        curseur.execute("ALTER TABLE aides_etapeconvention DISABLE TRIGGER aides_etapeconvention_ajout_seul")
        curseur.execute(
            """
            WITH decalage AS (
                SELECT c.id AS convention_id, c.demande_id, (random() * 800)::int * interval '1 day' AS d
                FROM aides_conventionaide c
            ), demandes AS (
                UPDATE aides_demande dem SET depose_le = dem.depose_le - decalage.d,
                       decidee_le = dem.decidee_le - decalage.d
                FROM decalage WHERE dem.id = decalage.demande_id RETURNING dem.id
            )
            UPDATE aides_etapeconvention e SET le = e.le - decalage.d
            FROM decalage WHERE e.convention_id = decalage.convention_id
            """
        )
        curseur.execute("ALTER TABLE aides_etapeconvention ENABLE TRIGGER aides_etapeconvention_ajout_seul")
    # Région signatures (steps already dated by conventions_en_masse) get a first payment each.
    paiements = []
    agent = User.objects.get_or_create(email="bench-pilotage-saf@example.org", defaults={"is_staff": True})[0]
    for etape in EtapeConvention.objects.filter(vers=Etape.SIGNEE_REGION).select_related("convention").iterator():
        paye = etape.le + timedelta(days=hasard.randint(5, 60))
        if paye < maintenant:
            paiements.append(
                Versement(
                    convention_id=etape.convention_id, type=Versement.Type.AVANCE,
                    montant=(etape.convention.montant * Decimal("0.3")).quantize(Decimal("1")),
                    etat=Versement.Etat.PAYE, demande_le=etape.le, paye_le=paye, par=agent,
                )
            )  # fmt: skip
    Versement.objects.bulk_create(paiements, batch_size=5000)
    print(f"  {len(paiements)} versements", flush=True)

    sollicitations = Sollicitation.objects.bulk_create(
        [
            Sollicitation(
                nom=f"Bench {i}", email=f"bench{i}@example.org", commune=communes[i % len(communes)],
                besoin="investir", direction=directions[i % len(directions)], statut="repondue",
                cree_le=maintenant - timedelta(days=i % 1000), prise_en_charge_le=maintenant - timedelta(days=i % 1000),
                repondue_le=maintenant - timedelta(days=i % 1000) + timedelta(days=hasard.randint(1, 20)),
                entreprise_id=etablissements[i % len(etablissements)].entreprise_id,
            )
            for i in range(20000)
        ],
        batch_size=5000,
    )  # fmt: skip
    enquetes = Enquete.objects.bulk_create(
        [
            Enquete(
                occasion="sollicitation", sollicitation=s, entreprise_id=s.entreprise_id, direction_id=s.direction_id,
                commune_id=s.commune_id, email=s.email, envoyee_le=s.repondue_le,
            )
            for s in sollicitations[:10000]
        ],
        batch_size=5000,
    )  # fmt: skip
    ReponseEnquete.objects.bulk_create(
        [
            ReponseEnquete(
                enquete=e, utilite=hasard.randint(1, 4), simplicite=hasard.randint(1, 4), repondue_le=e.envoyee_le
            )
            for e in enquetes[::2]
        ],
        batch_size=5000,
    )  # fmt: skip
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE")


def main() -> None:
    args = arguments()
    django_demarrer(args.base, MARQUEUR)  # its own database, any other is refused
    # Imported once Django is set up on the benchmark's database (django_demarrer).
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    from aides.models import ConventionAide, Demande, Dispositif
    from bench.rendus import client_agent, mesurer
    from pilotage.agregats import agregats_nettoyer, agregats_rafraichir
    from pilotage.rechauffage import statistiques_rechauffer
    from portal.roles import Role

    debut = time.perf_counter()
    remplir(args.demandes, args.conventions)
    print(
        f"Données prêtes en {time.perf_counter() - debut:.0f} s : {Demande.objects.count()} demandes, "
        f"{ConventionAide.objects.count()} conventions"
    )
    client = client_agent("bench-pilotage@example.org", Role.PILOTAGE, direction="DAEN")

    def reconstruire() -> str:
        """What the hourly task does (pilotage.tasks.agregats_rafraichir_tache), each step timed."""
        calcul = agregats_rafraichir()
        debut = time.perf_counter()
        agregats_nettoyer()
        nettoyage = (time.perf_counter() - debut) * 1000
        debut = time.perf_counter()
        bilan = statistiques_rechauffer()
        return (
            f"{calcul.lignes} lignes en {calcul.duree_ms} ms, VACUUM {nettoyage:.0f} ms, cache réchauffé en "
            f"{(time.perf_counter() - debut) * 1000:.0f} ms ({bilan.directions} directions, "
            f"{bilan.dispositifs} dispositifs)"
        )

    settings.STATISTIQUES_CACHE_SECONDES = 300
    for essai in (1, 2):  # the table of facts, rebuilt twice: the same rows, the time of each
        cache.clear()
        print(f"Table des faits reconstruite ({essai}) : {reconstruire()}")
    dispositif = Dispositif.objects.get(slug="bench-pilotage-0")
    annee = timezone.localdate().year
    pages = [
        ("tableau de bord /agents/ (pilotage)", "/agents/"),
        ("pilotage, par direction, année", f"/agents/pilotage/?annee={annee}"),
        ("pilotage, par thématique, toutes années", "/agents/pilotage/?lignes=thematique"),
        ("pilotage, par EPCI, année", f"/agents/pilotage/?lignes=epci&annee={annee}"),
        ("statistiques d'un dispositif", f"/agents/aides/{dispositif.pk}/statistiques/?annee={annee}"),
        ("page d'un dispositif (section chiffres)", f"/agents/aides/{dispositif.pk}/"),
        ("/statistiques/ (public)", f"/statistiques/?annee={annee}"),
        ("/statistiques/donnees.json", f"/statistiques/donnees.json?annee={annee}"),
    ]
    print(f"{timezone.now():%d/%m/%Y %H:%M} UTC, charge moyenne {os.getloadavg()[0]:.1f}, {args.fois} rendus par page")
    print("| page | sans cache p50 | sans cache p95 | avec cache p50 | avec cache p95 | requêtes SQL |")
    print("|---|---|---|---|---|---|")
    for libelle, url in pages:
        settings.STATISTIQUES_CACHE_SECONDES = 0
        froid = mesurer(client, url, args.fois)
        settings.STATISTIQUES_CACHE_SECONDES = 300
        cache.clear()
        chaud = mesurer(client, url, args.fois)
        print(
            f"| {libelle} | {froid[0]:.0f} ms | {froid[1]:.0f} ms | {chaud[0]:.0f} ms | {chaud[1]:.0f} ms "
            f"| {froid[2]} / {chaud[2]} |",
            flush=True,
        )
    # The default views (no parameter) as the first visitor after a rebuild finds them.
    defauts = [
        ("tableau de bord /agents/ (pilotage)", "/agents/"),
        ("pilotage, sans paramètre", "/agents/pilotage/"),
        ("statistiques d'un dispositif, sans paramètre", f"/agents/aides/{dispositif.pk}/statistiques/"),
        ("page d'un dispositif (section chiffres)", f"/agents/aides/{dispositif.pk}/"),
        ("/statistiques/ (public), sans paramètre", "/statistiques/"),
    ]
    print("| vue par défaut | premier rendu après la reconstruction (ms), 5 reconstructions |")
    print("|---|---|")
    premiers: dict[str, list[float]] = {url: [] for _libelle, url in defauts}
    for _ in range(5):
        cache.clear()
        reconstruire()
        for _libelle, url in defauts:
            debut = time.perf_counter()
            assert client.get(url).status_code == 200, url
            premiers[url].append((time.perf_counter() - debut) * 1000)
    for libelle, url in defauts:
        print(f"| {libelle} | {', '.join(f'{x:.0f}' for x in premiers[url])} |")
    print(f"charge moyenne à la fin {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
