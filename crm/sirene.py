"""Import of INSEE's SIRENE stock files (StockUniteLegale, StockEtablissement), region only.

Streams both CSV files with the csv module (memory stays flat whatever their size), validates
each line, COPYs the kept lines into temporary tables, then upserts them in set-based SQL
(INSERT ... ON CONFLICT DO UPDATE ... WHERE changed): re-running updates, never duplicates.

Order: establishments first (to know which SIRENs have an establishment in the region), then the
legal units of those SIRENs, then the establishments joined to their company.
"""

import csv
import io
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import connection, transaction
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from territoires.models import Commune, Departement

from .referentiels import TrancheEffectifs, naf_normaliser, nomenclature_naf

# The exact headers of INSEE's stock files (« Sirene : fichiers StockEtablissement / StockUniteLegale »).
COLONNES_ETABLISSEMENT = [
    "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
    "trancheEffectifsEtablissement", "anneeEffectifsEtablissement", "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement", "etablissementSiege", "nombrePeriodesEtablissement",
    "complementAdresseEtablissement", "numeroVoieEtablissement", "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement", "indiceRepetitionDernierNumeroVoieEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement", "codeCommuneEtablissement",
    "codeCedexEtablissement", "libelleCedexEtablissement", "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement", "identifiantAdresseEtablissement", "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement", "complementAdresse2Etablissement", "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement", "typeVoie2Etablissement", "libelleVoie2Etablissement",
    "codePostal2Etablissement", "libelleCommune2Etablissement", "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement", "codeCommune2Etablissement", "codeCedex2Etablissement",
    "libelleCedex2Etablissement", "codePaysEtranger2Etablissement", "libellePaysEtranger2Etablissement",
    "dateDebut", "etatAdministratifEtablissement", "enseigne1Etablissement", "enseigne2Etablissement",
    "enseigne3Etablissement", "denominationUsuelleEtablissement", "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement",
]  # fmt: skip
COLONNES_UNITE_LEGALE = [
    "siren", "statutDiffusionUniteLegale", "unitePurgeeUniteLegale", "dateCreationUniteLegale", "sigleUniteLegale",
    "sexeUniteLegale", "prenom1UniteLegale", "prenom2UniteLegale", "prenom3UniteLegale", "prenom4UniteLegale",
    "prenomUsuelUniteLegale", "pseudonymeUniteLegale", "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale", "anneeEffectifsUniteLegale", "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale", "categorieEntreprise", "anneeCategorieEntreprise", "dateDebut",
    "etatAdministratifUniteLegale", "nomUniteLegale", "nomUsageUniteLegale", "denominationUniteLegale",
    "denominationUsuelle1UniteLegale", "denominationUsuelle2UniteLegale", "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale", "activitePrincipaleUniteLegale", "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale", "economieSocialeSolidaireUniteLegale", "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
]  # fmt: skip
# The columns this import reads; a file missing one of them is refused before anything is written.
REQUISES_ETABLISSEMENT = [
    "siren", "nic", "siret", "dateCreationEtablissement", "trancheEffectifsEtablissement", "etablissementSiege",
    "complementAdresseEtablissement", "numeroVoieEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "codePostalEtablissement", "codeCommuneEtablissement",
    "etatAdministratifEtablissement", "enseigne1Etablissement", "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
]  # fmt: skip
REQUISES_UNITE_LEGALE = [
    "siren", "statutDiffusionUniteLegale", "dateCreationUniteLegale", "sigleUniteLegale", "prenom1UniteLegale",
    "prenomUsuelUniteLegale",
    "trancheEffectifsUniteLegale", "categorieEntreprise", "etatAdministratifUniteLegale", "nomUniteLegale",
    "nomUsageUniteLegale", "denominationUniteLegale", "denominationUsuelle1UniteLegale",
    "categorieJuridiqueUniteLegale", "activitePrincipaleUniteLegale",
]  # fmt: skip

TAILLE_LOT_COPIE = 20_000
TAILLE_LOT_INSERTION = 100_000
PAS_PROGRESSION = 100_000
EXEMPLES_PAR_RAISON = 5
TRANCHES = {choix.value for choix in TrancheEffectifs}


class FichierInvalide(Exception):
    """The file cannot be imported at all (unreadable, not a SIRENE stock file)."""


@dataclass
class Compteur:
    lues: int = 0
    creees: int = 0
    mises_a_jour: int = 0
    inchangees: int = 0
    # Establishments: commune outside the region; legal units: no establishment kept in the region.
    hors_region: int = 0
    doublons: int = 0  # the same SIRET (SIREN) again in the file: the last line wins
    rejets: Counter = field(default_factory=Counter)
    exemples: dict = field(default_factory=dict)

    @property
    def rejetees(self) -> int:
        return sum(self.rejets.values())

    @property
    def ignorees(self) -> int:
        return self.hors_region + self.doublons

    @property
    def total_issues(self) -> int:
        """Every line read has exactly one outcome: this equals `lues`."""
        return self.creees + self.mises_a_jour + self.inchangees + self.hors_region + self.doublons + self.rejetees

    def rejeter(self, ligne: int, raison: str, detail: str = "") -> None:
        self.rejets[raison] += 1
        exemples = self.exemples.setdefault(raison, [])
        if len(exemples) < EXEMPLES_PAR_RAISON:
            exemples.append(f"ligne {ligne}" + (f" ({detail})" if detail else ""))


@dataclass
class RapportImport:
    unites_legales: Compteur = field(default_factory=Compteur)
    etablissements: Compteur = field(default_factory=Compteur)


def _date(texte: str) -> str | None:
    """'2019-03-01' → same; '' → None; anything else raises ValueError."""
    if not texte:
        return None
    return date.fromisoformat(texte).isoformat() if len(texte) == 10 else date.fromisoformat("x")


def _copie(valeur) -> str:
    """One value in PostgreSQL's COPY text format."""
    if valeur is None:
        return r"\N"
    if valeur is True:
        return "t"
    if valeur is False:
        return "f"
    texte = str(valeur)
    if "\\" in texte or "\t" in texte or "\n" in texte or "\r" in texte:
        texte = texte.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return texte


class _Copieur:
    """Buffers rows and COPYs them into a table by batches."""

    def __init__(self, curseur, table: str, colonnes: list[str]):
        self.curseur, self.table, self.colonnes = curseur, table, colonnes
        self.tampon = io.StringIO()
        self.nombre = 0

    def ajouter(self, valeurs: tuple) -> None:
        self.tampon.write("\t".join(map(_copie, valeurs)))
        self.tampon.write("\n")
        self.nombre += 1
        if self.nombre >= TAILLE_LOT_COPIE:
            self.vider()

    def vider(self) -> None:
        if self.nombre:
            self.tampon.seek(0)
            self.curseur.copy_expert(f"COPY {self.table} ({', '.join(self.colonnes)}) FROM STDIN", self.tampon)
            self.tampon = io.StringIO()
            self.nombre = 0


def _lecteur(chemin: Path, requises: list[str]):
    """Open a SIRENE CSV file; yield (line number, row as list) and return the column index."""
    fichier = open(chemin, encoding="utf-8", newline="")  # noqa: SIM115 (closed by the caller's generator)
    lecteur = csv.reader(fichier)
    try:
        entete = next(lecteur)
    except StopIteration:
        fichier.close()
        raise FichierInvalide(f"{chemin.name} est vide.") from None
    manquantes = [nom for nom in requises if nom not in entete]
    if manquantes:
        fichier.close()
        raise FichierInvalide(
            f"{chemin.name} n'est pas un fichier SIRENE attendu : colonnes absentes {', '.join(manquantes)}."
        )
    return fichier, lecteur, {nom: i for i, nom in enumerate(entete)}, len(entete)


def _progression(rapporter, libelle: str, nombre: int) -> None:
    if rapporter and nombre % PAS_PROGRESSION == 0:
        rapporter(f"{libelle} : {nombre:,} lignes lues…".replace(",", " "))


def _lignes(lecteur, largeur: int, compteur: Compteur, rapporter, etape: str) -> Iterator[tuple[int, list[str]]]:
    """The file's rows with their line number (the header is line 1), counted; an unreadable row or
    one with the wrong number of columns is rejected and skipped."""
    numero = 1
    while True:
        try:
            ligne = next(lecteur)
        except StopIteration:
            return
        except csv.Error as erreur:
            numero += 1
            compteur.lues += 1
            compteur.rejeter(numero, "ligne CSV illisible", str(erreur)[:80])
            continue
        numero += 1
        compteur.lues += 1
        _progression(rapporter, etape, compteur.lues)
        if len(ligne) != largeur:
            compteur.rejeter(numero, "nombre de colonnes incorrect", f"{len(ligne)} au lieu de {largeur}")
            continue
        yield numero, ligne


def _lire_etablissements(curseur, chemin: Path, compteur: Compteur, communes: dict[str, int], rapporter) -> set[str]:
    fichier, lecteur, i, largeur = _lecteur(chemin, REQUISES_ETABLISSEMENT)
    departements = set(Departement.objects.values_list("code", flat=True))
    naf = nomenclature_naf()
    sirens: set[str] = set()
    copieur = _Copieur(
        curseur,
        "crm_import_etab",
        ["ligne", "siret", "siren", "commune_id", "code_postal", "adresse", "enseigne", "siege", "actif", "naf",
         "tranche", "date_creation"],
    )  # fmt: skip
    (c_siren, c_nic, c_siret, c_commune, c_date, c_tranche, c_siege, c_compl, c_num, c_type, c_voie, c_cp, c_etat,
     c_ens, c_denom, c_naf) = (
        i["siren"], i["nic"], i["siret"], i["codeCommuneEtablissement"], i["dateCreationEtablissement"],
        i["trancheEffectifsEtablissement"], i["etablissementSiege"], i["complementAdresseEtablissement"],
        i["numeroVoieEtablissement"], i["typeVoieEtablissement"], i["libelleVoieEtablissement"],
        i["codePostalEtablissement"], i["etatAdministratifEtablissement"], i["enseigne1Etablissement"],
        i["denominationUsuelleEtablissement"], i["activitePrincipaleEtablissement"],
    )  # fmt: skip
    with fichier:
        for numero, ligne in _lignes(lecteur, largeur, compteur, rapporter, "Établissements"):
            commune_id = communes.get(ligne[c_commune])
            if commune_id is None:
                if ligne[c_commune][:2] in departements:
                    # In a département of the region but not one of its communes (a typo, a merged commune
                    # not yet in the reference data): an error to look at, not an establishment elsewhere.
                    compteur.rejeter(numero, "commune inconnue dans la région (code INSEE)", ligne[c_commune])
                else:
                    compteur.hors_region += 1
                continue
            siret, siren = ligne[c_siret], ligne[c_siren]
            if not stdnum_siret.is_valid(siret):
                compteur.rejeter(numero, "SIRET invalide (longueur ou clé)", siret)
                continue
            if siret[:9] != siren or siret[9:] != ligne[c_nic]:
                compteur.rejeter(numero, "SIRET incohérent avec le SIREN et le NIC", siret)
                continue
            etat = ligne[c_etat]
            if etat not in ("A", "F"):
                compteur.rejeter(numero, "état administratif inconnu", etat)
                continue
            try:
                creation = _date(ligne[c_date])
            except ValueError:
                compteur.rejeter(numero, "date de création invalide", ligne[c_date])
                continue
            code_naf = naf_normaliser(ligne[c_naf]) if ligne[c_naf] else ""
            adresse = " ".join(filter(None, [ligne[c_num], ligne[c_type], ligne[c_voie]]))
            if ligne[c_compl]:
                adresse = f"{ligne[c_compl]}, {adresse}" if adresse else ligne[c_compl]
            tranche = ligne[c_tranche]
            sirens.add(siren)
            copieur.ajouter(
                (
                    numero, siret, siren, commune_id, ligne[c_cp][:5], adresse[:300],
                    (ligne[c_ens] or ligne[c_denom])[:250], ligne[c_siege] == "true", etat == "A",
                    code_naf if code_naf in naf else "", tranche if tranche in TRANCHES else "", creation,
                )
            )  # fmt: skip
    copieur.vider()
    return sirens


def _lire_unites_legales(curseur, chemin: Path, compteur: Compteur, sirens: set[str], rapporter) -> None:
    fichier, lecteur, i, largeur = _lecteur(chemin, REQUISES_UNITE_LEGALE)
    naf = nomenclature_naf()
    copieur = _Copieur(
        curseur,
        "crm_import_ul",
        ["ligne", "siren", "denomination", "sigle", "categorie_juridique", "naf", "tranche", "categorie",
         "date_creation", "etat"],
    )  # fmt: skip
    with fichier:
        for numero, ligne in _lignes(lecteur, largeur, compteur, rapporter, "Unités légales"):
            siren = ligne[i["siren"]]
            if siren not in sirens:
                compteur.hors_region += 1
                continue
            if not stdnum_siren.is_valid(siren):
                compteur.rejeter(numero, "SIREN invalide (longueur ou clé)", siren)
                continue
            etat = ligne[i["etatAdministratifUniteLegale"]]
            if etat not in ("A", "C"):
                compteur.rejeter(numero, "état administratif inconnu", etat)
                continue
            try:
                creation = _date(ligne[i["dateCreationUniteLegale"]])
            except ValueError:
                compteur.rejeter(numero, "date de création invalide", ligne[i["dateCreationUniteLegale"]])
                continue
            denomination = ligne[i["denominationUniteLegale"]] or ligne[i["denominationUsuelle1UniteLegale"]]
            if not denomination:  # an individual entrepreneur: first name and (usage) name
                prenom = ligne[i["prenomUsuelUniteLegale"]] or ligne[i["prenom1UniteLegale"]]
                nom = ligne[i["nomUsageUniteLegale"]] or ligne[i["nomUniteLegale"]]
                denomination = " ".join(filter(None, [prenom, nom]))
            if "[ND]" in denomination or (not denomination and ligne[i["statutDiffusionUniteLegale"]] == "P"):
                # Partially distributed unit (statutDiffusion « P »): INSEE hides the person's name.
                denomination = "Entrepreneur individuel (non diffusible)"
            if not denomination:
                compteur.rejeter(numero, "dénomination absente", siren)
                continue
            code_naf = naf_normaliser(ligne[i["activitePrincipaleUniteLegale"]])
            tranche = ligne[i["trancheEffectifsUniteLegale"]]
            copieur.ajouter(
                (
                    numero, siren, denomination[:250], ligne[i["sigleUniteLegale"]][:50],
                    ligne[i["categorieJuridiqueUniteLegale"]][:4], code_naf if code_naf in naf else "",
                    tranche if tranche in TRANCHES else "", ligne[i["categorieEntreprise"]][:3], creation, etat,
                )
            )  # fmt: skip
    copieur.vider()


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Utilisez : python manage.py importer_sirene")
