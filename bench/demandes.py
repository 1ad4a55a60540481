"""Applications benchmark: the instruction inbox and one file page, with N deposited applications.

Fills (once, idempotently) a dedicated database with N deposited applications over 200 companies,
then times 50 renders of the inbox (first page, then filtered by state) and of a file page through
the Django test client, and prints p50/p95 and the number of SQL queries per page.

Usage (from the repo root; the benchmark creates and marks its own database, one per size):
    DEBUG=1 .venv/bin/python bench/demandes.py 20000 [portail_bench_demandes_20000]
"""

import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.base_dediee import django_demarrer  # noqa: E402

NOMBRE = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
# Its own database, one per size (created and marked by the benchmark; any other one is refused).
django_demarrer(sys.argv[2] if len(sys.argv) > 2 else f"portail_bench_demandes_{NOMBRE}", "bench_demandes_marqueur")

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402

from aides.models import Demande, Dispositif, LigneDepense, Statut  # noqa: E402
from bench.rendus import client_agent, mesurer  # noqa: E402
from crm.models import Entreprise, Etablissement  # noqa: E402
from portal.models import Direction, User  # noqa: E402
from portal.roles import Role  # noqa: E402


def remplir(nombre: int) -> None:
    existantes = Demande.objects.count()
    if existantes >= nombre:
        return
    direction = Direction.objects.get(code="DAEN")
    dispositifs = []
    for i in range(5):
        dispositif, _ = Dispositif.objects.get_or_create(
            slug=f"bench-{i}",
            defaults={
                "nom": f"Dispositif bench {i}",
                "resume": "Bench",
                "nature": "subvention",
                "direction": direction,
                "statut": "publie",
                "publie_le": timezone.now(),
                "thematiques": ["numerique"],
            },
        )
        dispositifs.append(dispositif)
    demandeur, _ = User.objects.get_or_create(email="bench-entreprise@example.org")
    etablissements = []
    for i in range(200):
        siren = f"{80_000_000 + i:08d}"
        siren += luhn.calc_check_digit(siren)
        entreprise, _ = Entreprise.objects.get_or_create(siren=siren, defaults={"denomination": f"Bench {i}"})
        siret = siren + "0001"
        siret += luhn.calc_check_digit(siret)
        etablissement, _ = Etablissement.objects.get_or_create(siret=siret, defaults={"entreprise": entreprise})
        etablissements.append(etablissement)
    statuts = [Statut.DEPOSEE, Statut.EN_INSTRUCTION, Statut.COMPLEMENT_DEMANDE, Statut.ACCORDEE, Statut.REFUSEE]
    maintenant = timezone.now()
    lot = []
    for i in range(existantes, nombre):
        statut = statuts[i % len(statuts)]
        lot.append(
            Demande(
                etablissement=etablissements[i % 200],
                dispositif=dispositifs[i % 5],
                demandeur=demandeur,
                intitule=f"Projet {i}",
                projet="Bench",
                date_debut_projet=maintenant.date() + timedelta(days=30),
                montant_demande=Decimal(10000),
                montant_accorde=Decimal(8000) if statut == Statut.ACCORDEE else None,
                statut=statut,
                numero_depot=f"B-{i:07d}",
                depose_le=maintenant - timedelta(minutes=i),
            )
        )
    Demande.objects.bulk_create(lot, batch_size=2000)
    premiere = Demande.objects.order_by("pk").first()
    LigneDepense.objects.bulk_create(
        [LigneDepense(demande=premiere, nature=f"Poste {i}", montant_ht=Decimal(1000)) for i in range(20)]
    )
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE")


def main() -> None:
    remplir(NOMBRE)
    client = client_agent("bench-instructeur@hautsdefrance.fr", Role.INSTRUCTEUR)
    premiere = Demande.objects.order_by("pk").first()
    print(f"{Demande.objects.count()} demandes déposées")
    for libelle, url in [
        ("boîte, page 1", "/agents/instruction/"),
        ("boîte, filtrée « en instruction », page 3", "/agents/instruction/?statut=en_instruction&page=3"),
        ("fiche d'une demande (20 lignes)", f"/agents/instruction/{premiere.pk}/"),
    ]:
        p50, p95, requetes = mesurer(client, url, 50)
        print(f"{libelle:<45} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   {requetes} requêtes SQL")


if __name__ == "__main__":
    main()
