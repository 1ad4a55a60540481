from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction

from crm.sirene.lecture import TAILLE_LOT_INSERTION, Compteur, RapportImport, _lire_etablissements, _lire_unites_legales
from territoires.models import Commune

SQL_TABLES = """
DROP TABLE IF EXISTS crm_import_etab; DROP TABLE IF EXISTS crm_import_ul;
CREATE TEMPORARY TABLE crm_import_etab (
    ligne integer, siret varchar(14), siren varchar(9), commune_id bigint, code_postal varchar(5), adresse text,
    enseigne text, siege boolean, actif boolean, naf varchar(6), tranche varchar(2), date_creation date);
CREATE TEMPORARY TABLE crm_import_ul (
    ligne integer, siren varchar(9), denomination text, sigle text, categorie_juridique varchar(4), naf varchar(6),
    tranche varchar(2), categorie varchar(3), date_creation date, etat varchar(1));
"""


SQL_ENTREPRISES = """
WITH resultat AS (
    INSERT INTO crm_entreprise (siren, denomination, sigle, categorie_juridique, naf, tranche_effectifs,
                                categorie_entreprise, date_creation, etat, demo, cree_le, modifie_le)
    SELECT DISTINCT ON (siren) siren, denomination, sigle, categorie_juridique, naf, tranche, categorie,
           date_creation, etat, false, now(), now()
      FROM crm_import_ul ORDER BY siren, ligne DESC
    ON CONFLICT (siren) DO UPDATE SET
        denomination = EXCLUDED.denomination, sigle = EXCLUDED.sigle,
        categorie_juridique = EXCLUDED.categorie_juridique, naf = EXCLUDED.naf,
        tranche_effectifs = EXCLUDED.tranche_effectifs, categorie_entreprise = EXCLUDED.categorie_entreprise,
        date_creation = EXCLUDED.date_creation, etat = EXCLUDED.etat, modifie_le = now()
     WHERE (crm_entreprise.denomination, crm_entreprise.sigle, crm_entreprise.categorie_juridique, crm_entreprise.naf,
            crm_entreprise.tranche_effectifs, crm_entreprise.categorie_entreprise, crm_entreprise.date_creation,
            crm_entreprise.etat)
           IS DISTINCT FROM
           (EXCLUDED.denomination, EXCLUDED.sigle, EXCLUDED.categorie_juridique, EXCLUDED.naf,
            EXCLUDED.tranche_effectifs, EXCLUDED.categorie_entreprise, EXCLUDED.date_creation, EXCLUDED.etat)
    RETURNING (xmax = 0) AS creee
)
SELECT count(*) FILTER (WHERE creee), count(*) FILTER (WHERE NOT creee) FROM resultat
"""


SQL_ETABLISSEMENTS = """
WITH resultat AS (
    INSERT INTO crm_etablissement (siret, entreprise_id, enseigne, adresse, code_postal, commune_id, siege, actif,
                                   naf, tranche_effectifs, date_creation, nom_recherche, demo, cree_le, modifie_le)
    SELECT DISTINCT ON (t.siret) t.siret, en.id, t.enseigne, t.adresse, t.code_postal, t.commune_id, t.siege,
           t.actif, t.naf, t.tranche, t.date_creation,
           crm_normaliser(concat_ws(' ', en.denomination, en.sigle, t.enseigne)), false, now(), now()
      FROM crm_import_etab t JOIN crm_entreprise en ON en.siren = t.siren
     WHERE t.ligne >= %s AND t.ligne < %s
     ORDER BY t.siret, t.ligne DESC
    ON CONFLICT (siret) DO UPDATE SET
        entreprise_id = EXCLUDED.entreprise_id, enseigne = EXCLUDED.enseigne, adresse = EXCLUDED.adresse,
        code_postal = EXCLUDED.code_postal, commune_id = EXCLUDED.commune_id, siege = EXCLUDED.siege,
        actif = EXCLUDED.actif, naf = EXCLUDED.naf, tranche_effectifs = EXCLUDED.tranche_effectifs,
        date_creation = EXCLUDED.date_creation, nom_recherche = EXCLUDED.nom_recherche, modifie_le = now()
     WHERE (crm_etablissement.entreprise_id, crm_etablissement.enseigne, crm_etablissement.adresse,
            crm_etablissement.code_postal, crm_etablissement.commune_id, crm_etablissement.siege,
            crm_etablissement.actif, crm_etablissement.naf, crm_etablissement.tranche_effectifs,
            crm_etablissement.date_creation, crm_etablissement.nom_recherche)
           IS DISTINCT FROM
           (EXCLUDED.entreprise_id, EXCLUDED.enseigne, EXCLUDED.adresse, EXCLUDED.code_postal, EXCLUDED.commune_id,
            EXCLUDED.siege, EXCLUDED.actif, EXCLUDED.naf, EXCLUDED.tranche_effectifs, EXCLUDED.date_creation,
            EXCLUDED.nom_recherche)
    RETURNING (xmax = 0) AS cree
)
SELECT count(*) FILTER (WHERE cree), count(*) FILTER (WHERE NOT cree) FROM resultat
"""


def sirene_importer(
    *, unites_legales: Path, etablissements: Path, rapporter: Callable[[str], None] | None = None
) -> RapportImport:
    """Import both stock files; keep the establishments of the region's communes and their companies."""
    rapport = RapportImport()
    communes = dict(Commune.objects.values_list("code_insee", "pk"))
    rapporter = rapporter or (lambda message: None)
    with connection.cursor() as curseur:
        curseur.execute(SQL_TABLES)
        try:
            rapporter("1/3 Lecture des établissements (communes de la région)…")
            with transaction.atomic():
                sirens = _lire_etablissements(
                    curseur, Path(etablissements), rapport.etablissements, communes, rapporter
                )
                curseur.execute("ANALYZE crm_import_etab")
            rapporter("2/3 Lecture et mise à jour des unités légales…")
            with transaction.atomic():
                _lire_unites_legales(curseur, Path(unites_legales), rapport.unites_legales, sirens, rapporter)
                sirens = None  # free the set before the big inserts
                curseur.execute("SELECT count(DISTINCT siren) FROM crm_import_ul")
                distinctes = curseur.fetchone()[0]
                curseur.execute(SQL_ENTREPRISES)
                creees, mises_a_jour = curseur.fetchone()
            ul = rapport.unites_legales
            ul.creees, ul.mises_a_jour, ul.inchangees = creees, mises_a_jour, distinctes - creees - mises_a_jour
            # The same SIREN twice in the file: the last line wins; earlier ones are duplicates.
            ul.doublons += curseur_compte(curseur, "crm_import_ul") - distinctes
            rapporter("3/3 Mise à jour des établissements…")
            _inserer_etablissements(curseur, rapport.etablissements, rapporter)
        finally:
            curseur.execute("DROP TABLE IF EXISTS crm_import_etab; DROP TABLE IF EXISTS crm_import_ul;")
    return rapport


def curseur_compte(curseur, table: str) -> int:
    curseur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (internal table names only)
    return curseur.fetchone()[0]


def _inserer_etablissements(curseur, compteur: Compteur, rapporter) -> None:
    """Reject the lines whose company is absent, drop the earlier lines of a SIRET seen twice (each
    counted once, with its outcome), then upsert: every remaining line is one distinct SIRET, so
    created + updated + unchanged = the lines left."""
    with transaction.atomic():
        curseur.execute(
            """DELETE FROM crm_import_etab t
                WHERE NOT EXISTS (SELECT 1 FROM crm_entreprise en WHERE en.siren = t.siren)
            RETURNING t.ligne, t.siret"""
        )
        for ligne, siret in sorted(curseur.fetchall()):
            compteur.rejeter(ligne, "unité légale absente du fichier StockUniteLegale", siret)
        curseur.execute("CREATE INDEX ON crm_import_etab (siret, ligne)")
        curseur.execute(
            """DELETE FROM crm_import_etab t
                WHERE EXISTS (SELECT 1 FROM crm_import_etab u WHERE u.siret = t.siret AND u.ligne > t.ligne)"""
        )
        compteur.doublons += curseur.rowcount
    curseur.execute("SELECT count(*), coalesce(max(ligne), 0) FROM crm_import_etab")
    restantes, derniere = curseur.fetchone()
    debut = 0
    while debut <= derniere:
        with transaction.atomic():
            curseur.execute(SQL_ETABLISSEMENTS, [debut, debut + TAILLE_LOT_INSERTION])
            creees, mises_a_jour = curseur.fetchone()
        compteur.creees += creees
        compteur.mises_a_jour += mises_a_jour
        debut += TAILLE_LOT_INSERTION
        rapporter(f"   … établissements jusqu'à la ligne {min(debut, derniere):,}".replace(",", " "))
    compteur.inchangees = restantes - compteur.creees - compteur.mises_a_jour


def rapport_texte(rapport: RapportImport) -> str:
    lignes = []
    for titre, c in (("Unités légales", rapport.unites_legales), ("Établissements", rapport.etablissements)):
        lignes.append(
            f"{titre} : {c.lues} lues = {c.creees} créées + {c.mises_a_jour} mises à jour + "
            f"{c.inchangees} inchangées + {c.hors_region} hors région + {c.doublons} doublons (dernière ligne "
            f"retenue) + {c.rejetees} rejetées."
        )
        for raison, nombre in c.rejets.most_common():
            lignes.append(f"  - rejet « {raison} » : {nombre} ({', '.join(c.exemples.get(raison, []))})")
    return "\n".join(lignes)
