import csv
import io
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from crm.referentiels import TrancheEffectifs, naf_normaliser, nomenclature_naf
from territoires.models import Departement

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


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Utilisez : python manage.py importer_sirene")
