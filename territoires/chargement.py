"""Load the region's reference territories (INSEE open data shipped in territoires/data/)."""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from portal.cache import generation_suivante

from .models import EPCI, Commune, Departement
from .normalisation import normaliser

DONNEES = Path(__file__).resolve().parent / "data"
DEPARTEMENTS = {"02": "Aisne", "59": "Nord", "60": "Oise", "62": "Pas-de-Calais", "80": "Somme"}


@dataclass
class Bilan:
    departements: int
    epci: int
    communes: int


@transaction.atomic
def territoires_charger(dossier: Path = DONNEES) -> Bilan:
    """Create or update départements, EPCI (with outlines) and communes. Idempotent."""
    for code, nom in DEPARTEMENTS.items():
        Departement.objects.update_or_create(code=code, defaults={"nom": nom})
    departements = {d.code: d for d in Departement.objects.all()}

    contours = {
        feature["properties"]["siren"]: feature["geometry"]
        for feature in json.loads((dossier / "epci_hdf.geojson").read_text(encoding="utf-8"))["features"]
    }
    with open(dossier / "epci_hdf.csv", encoding="utf-8", newline="") as fichier:
        lignes_epci = list(csv.DictReader(fichier))
    existants = {e.siren: e for e in EPCI.objects.all()}
    a_creer, a_modifier = [], []
    for ligne in lignes_epci:
        valeurs = {
            "nom": ligne["nom"],
            "type": ligne["type"],
            "population": int(ligne["population"]),
            "nb_communes": int(ligne["nb_communes"]),
            "contour": contours.get(ligne["siren"]),
        }
        if epci := existants.get(ligne["siren"]):
            for champ, valeur in valeurs.items():
                setattr(epci, champ, valeur)
            a_modifier.append(epci)
        else:
            a_creer.append(EPCI(siren=ligne["siren"], **valeurs))
    EPCI.objects.bulk_create(a_creer)
    EPCI.objects.bulk_update(a_modifier, ["nom", "type", "population", "nb_communes", "contour"])
    epcis = {e.siren: e for e in EPCI.objects.all()}
    Lien = EPCI.departements.through
    Lien.objects.filter(epci__in=epcis.values()).delete()
    Lien.objects.bulk_create(
        [
            Lien(epci=epcis[ligne["siren"]], departement=departements[code])
            for ligne in lignes_epci
            for code in ligne["departements"].split()
        ]
    )

    with open(dossier / "communes_hdf.csv", encoding="utf-8", newline="") as fichier:
        communes = [
            Commune(
                code_insee=ligne["code_insee"],
                nom=ligne["nom"],
                nom_recherche=normaliser(ligne["nom"]),
                departement=departements[ligne["departement"]],
                epci=epcis[ligne["epci_siren"]],
                population=int(ligne["population"] or 0),
                codes_postaux=ligne["codes_postaux"],
            )
            for ligne in csv.DictReader(fichier)
        ]
    Commune.objects.bulk_create(
        communes,
        update_conflicts=True,
        unique_fields=["code_insee"],
        update_fields=["nom", "nom_recherche", "departement", "epci", "population", "codes_postaux"],
        batch_size=1000,
    )
    # A commune may have changed EPCI or département: what the catalogue keeps per commune (the counts
    # of a search, the communes each process remembers from what was typed) is stale on every node.
    transaction.on_commit(lambda: generation_suivante("catalogue"))
    return Bilan(departements=len(departements), epci=len(epcis), communes=len(communes))
