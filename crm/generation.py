"""Synthetic SIRENE stock files (exact INSEE format) for benchmarks and volume tests."""

import csv
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from stdnum import luhn

from territoires.models import Commune

from .referentiels import nomenclature_naf
from .sirene import COLONNES_ETABLISSEMENT, COLONNES_UNITE_LEGALE, RapportImport, sirene_importer

ACTIVITES = [
    "Boulangerie", "Pâtisserie", "Garage", "Menuiserie", "Plomberie", "Électricité", "Transports", "Imprimerie",
    "Conseil", "Informatique", "Boucherie", "Fromagerie", "Brasserie", "Charpente", "Maçonnerie", "Couverture",
    "Logistique", "Métallerie", "Chaudronnerie", "Textile", "Agencement", "Paysage", "Pharmacie", "Optique",
    "Coiffure", "Librairie", "Fonderie", "Plasturgie", "Sucrerie", "Verrerie", "Robotique", "Ingénierie",
]  # fmt: skip
NOMS = [
    "Martin", "Bernard", "Dubois", "Lefebvre", "Leroy", "Moreau", "Petit", "Durand", "Lemaire", "Dupont",
    "Lambert", "Fontaine", "Roussel", "Vasseur", "Caron", "Delattre", "Deschamps", "Wattel", "Dumont", "Lecomte",
    "Carpentier", "Poulain", "Dufour", "Mercier", "Lebrun", "Hochart", "Delcourt", "Bocquet", "Descamps", "Leclercq",
    "Vandenberghe", "Debruyne", "Flament", "Lemoine", "Verhaeghe", "Coppin", "Devos", "Hennebert", "Lenglet", "Masse",
]  # fmt: skip
# Syllables for the other family names: real SIRENE data holds tens of thousands of distinct names,
# so a search for one name returns hundreds of rows, not a fortieth of the table.
DEBUTS = [
    "Ver",
    "Van",
    "De",
    "Le",
    "Du",
    "Ma",
    "Ca",
    "Bo",
    "Ha",
    "Wa",
    "Lam",
    "Cour",
    "Ro",
    "Fla",
    "Ga",
    "Pe",
    "Ber",
    "Mer",
    "Sau",
    "Tal",
    "Dou",
    "Ker",
    "Ba",
    "Gri",
    "Mon",
    "Vil",
    "Che",
    "Leg",
    "Bru",
    "Dal",
]
MILIEUX = [
    "",
    "han",
    "ber",
    "quin",
    "mar",
    "del",
    "cor",
    "vel",
    "ros",
    "dan",
    "ten",
    "lin",
    "gan",
    "mot",
    "sel",
    "rig",
    "bou",
    "ch",
    "ri",
    "li",
]
FINS = [
    "ghe",
    "aert",
    "court",
    "mont",
    "ville",
    "el",
    "et",
    "ier",
    "ard",
    "in",
    "ot",
    "ez",
    "y",
    "ou",
    "aux",
    "ant",
    "ois",
    "elle",
    "oux",
    "is",
]
SUFFIXES = ["", "", "et Fils", "Frères", "Nord", "Picardie", "Services", "Industrie", "Innovation", "Hauts-de-France"]
FORMES = ["5710", "5499", "5498", "1000", "5720", "9220", "5599"]
TRANCHES = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41"]
VOIES = [
    ("RUE", "DE LA REPUBLIQUE"),
    ("AV", "JEAN JAURES"),
    ("BD", "VICTOR HUGO"),
    ("RTE", "NATIONALE"),
    ("PL", "DU MARCHE"),
]


def _siren(numero: int) -> str:
    base = f"{numero:08d}"
    return base + luhn.calc_check_digit(base)


def _siret(siren: str, nic: int) -> tuple[str, str]:
    base = f"{siren}{nic:04d}"
    cle = luhn.calc_check_digit(base)
    return base + cle, f"{nic:04d}{cle}"[-5:]


def sirene_generer(
    *, etablissements: int, dossier: Path, part_hors_region: float = 0.1, graine: int = 2026
) -> tuple[Path, Path]:
    """Write StockUniteLegale.csv and StockEtablissement.csv with `etablissements` rows in the region
    (plus `part_hors_region` more elsewhere, ignored by the import). Streams: memory stays flat."""
    alea = random.Random(graine)
    communes = list(Commune.objects.values_list("code_insee", "codes_postaux", "nom"))
    hors_region = [("75056", "75001", "PARIS"), ("69123", "69001", "LYON"), ("13055", "13001", "MARSEILLE")]
    codes_naf = list(nomenclature_naf())
    dossier.mkdir(parents=True, exist_ok=True)
    chemin_ul, chemin_et = dossier / "StockUniteLegale_utf8.csv", dossier / "StockEtablissement_utf8.csv"
    index_ul = {nom: i for i, nom in enumerate(COLONNES_UNITE_LEGALE)}
    index_et = {nom: i for i, nom in enumerate(COLONNES_ETABLISSEMENT)}
    total = int(etablissements * (1 + part_hors_region))
    with (
        chemin_ul.open("w", newline="", encoding="utf-8") as f_ul,
        chemin_et.open("w", newline="", encoding="utf-8") as f_et,
    ):
        # Not an export (those go through portal.tableurs): INSEE's own stock format, comma and no BOM,
        # read back by crm.sirene like the real files.
        ecrire_ul, ecrire_et = csv.writer(f_ul), csv.writer(f_et)
        ecrire_ul.writerow(COLONNES_UNITE_LEGALE)
        ecrire_et.writerow(COLONNES_ETABLISSEMENT)
        ecrits, numero = 0, 10_000_000
        while ecrits < total:
            numero += alea.randint(1, 40)
            siren = _siren(numero)
            nombre = min(alea.choice([1, 1, 1, 1, 2, 2, 3, 5]), total - ecrits)
            dans_region = ecrits < etablissements
            activite = alea.choice(ACTIVITES)
            if alea.random() < 0.2:
                nom = alea.choice(NOMS)
            else:
                nom = alea.choice(DEBUTS) + alea.choice(MILIEUX) + alea.choice(FINS)
            naf = alea.choice(codes_naf)
            ul = [""] * len(COLONNES_UNITE_LEGALE)
            individuel = alea.random() < 0.25
            ul[index_ul["siren"]] = siren
            ul[index_ul["statutDiffusionUniteLegale"]] = "O"
            ul[index_ul["dateCreationUniteLegale"]] = (
                f"{alea.randint(1950, 2025)}-{alea.randint(1, 12):02d}-{alea.randint(1, 28):02d}"
            )
            if individuel:
                ul[index_ul["prenom1UniteLegale"]] = alea.choice(["JEAN", "MARIE", "PIERRE", "SOPHIE", "KARIM"])
                ul[index_ul["nomUniteLegale"]] = nom.upper()
                ul[index_ul["categorieJuridiqueUniteLegale"]] = "1000"
            else:
                ul[index_ul["denominationUniteLegale"]] = f"{activite} {nom} {alea.choice(SUFFIXES)}".strip().upper()
                ul[index_ul["categorieJuridiqueUniteLegale"]] = alea.choice(FORMES)
            ul[index_ul["trancheEffectifsUniteLegale"]] = alea.choice(TRANCHES)
            ul[index_ul["categorieEntreprise"]] = "PME"
            ul[index_ul["etatAdministratifUniteLegale"]] = "A" if alea.random() < 0.9 else "C"
            ul[index_ul["activitePrincipaleUniteLegale"]] = naf
            ul[index_ul["nomenclatureActivitePrincipaleUniteLegale"]] = "NAFRev2"
            ul[index_ul["nicSiegeUniteLegale"]] = "00011"
            ecrire_ul.writerow(ul)
            for rang in range(nombre):
                siret, nic = _siret(siren, 1 + rang)
                code, cps, libelle = alea.choice(communes) if dans_region else alea.choice(hors_region)
                type_voie, voie = alea.choice(VOIES)
                et = [""] * len(COLONNES_ETABLISSEMENT)
                et[index_et["siren"]], et[index_et["nic"]], et[index_et["siret"]] = siren, nic, siret
                et[index_et["statutDiffusionEtablissement"]] = "O"
                et[index_et["dateCreationEtablissement"]] = ul[index_ul["dateCreationUniteLegale"]]
                et[index_et["trancheEffectifsEtablissement"]] = alea.choice(TRANCHES)
                et[index_et["etablissementSiege"]] = "true" if rang == 0 else "false"
                et[index_et["numeroVoieEtablissement"]] = str(alea.randint(1, 200))
                et[index_et["typeVoieEtablissement"]], et[index_et["libelleVoieEtablissement"]] = type_voie, voie
                et[index_et["codePostalEtablissement"]] = cps.split()[0] if cps else ""
                et[index_et["libelleCommuneEtablissement"]] = libelle.upper()
                et[index_et["codeCommuneEtablissement"]] = code
                et[index_et["etatAdministratifEtablissement"]] = "A" if alea.random() < 0.85 else "F"
                if alea.random() < 0.3:
                    et[index_et["enseigne1Etablissement"]] = (
                        f"{activite} du {alea.choice(['Centre', 'Port', 'Marché', 'Beffroi'])}".upper()
                    )
                et[index_et["activitePrincipaleEtablissement"]] = naf
                et[index_et["nomenclatureActivitePrincipaleEtablissement"]] = "NAFRev2"
                et[index_et["caractereEmployeurEtablissement"]] = "O"
                ecrire_et.writerow(et)
            ecrits += nombre
    return chemin_ul, chemin_et


def volume_etablissements_generer(etablissements: int, rapporter: Callable[[str], None] | None = None) -> RapportImport:
    """Generate SIRENE files of `etablissements` region establishments and import them (for generer_volume)."""
    with tempfile.TemporaryDirectory(prefix="sirene-") as dossier:
        chemin_ul, chemin_et = sirene_generer(etablissements=etablissements, dossier=Path(dossier))
        return sirene_importer(unites_legales=chemin_ul, etablissements=chemin_et, rapporter=rapporter)
