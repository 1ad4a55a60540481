"""A benchmark's own database: created (with a marker table) by the benchmark, refused otherwise.

`preparer_base("portail_bench_x", "bench_x_marqueur")` creates the database when it does not exist
and marks it; an existing database without the marker is refused (the benchmark never touches a
developer's data). It then points DATABASE_URL at it; call it before `django.setup()`, then migrate
(`django_demarrer(nom, marqueur)` does the three). Drop it afterwards with
`psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE portail_bench_x'`.
"""

import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql


def preparer_base(nom: str, marqueur: str) -> None:
    """Create the database `nom` (and its marker table) or check it is one this benchmark created."""
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail"))
    parametres = {
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
    }
    connexion = psycopg2.connect(dbname="postgres", **parametres)
    connexion.autocommit = True
    with connexion.cursor() as curseur:
        curseur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nom])
        existe = curseur.fetchone() is not None
        if not existe:
            curseur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nom)))
    connexion.close()
    base = psycopg2.connect(dbname=nom, **parametres)
    base.autocommit = True
    with base.cursor() as curseur:
        if existe:
            curseur.execute("SELECT to_regclass(%s)", [marqueur])
            if curseur.fetchone()[0] is None:
                sys.exit(f"La base « {nom} » existe et n'a pas été créée par ce bench : je n'y touche pas.")
        else:
            curseur.execute(
                sql.SQL("CREATE TABLE {} (cree_le timestamptz DEFAULT now())").format(sql.Identifier(marqueur))
            )
    base.close()
    hote = f"{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"
    identite = (config["USER"] or "postgres") + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    os.environ["DATABASE_URL"] = f"postgres://{identite}@{hote}/{nom}"


def django_demarrer(nom: str, marqueur: str) -> None:
    """The benchmark's own database (preparer_base), then Django set up on it and migrated."""
    preparer_base(nom, marqueur)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # Imported here: Django reads DATABASE_URL when set up, which preparer_base has just pointed at the base.
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
