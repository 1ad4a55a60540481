"""Create the database named by DATABASE_URL when it does not exist yet."""

import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql

config = dj_database_url.parse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail"))
try:
    connexion = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
except psycopg2.OperationalError as erreur:
    sys.exit(f"Connexion à PostgreSQL impossible : {erreur}")
connexion.autocommit = True
with connexion.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        print(f"Base de données « {config['NAME']} » créée.")
connexion.close()
