"""Vocabularies of the CRM: NAF rév. 2, INSEE size bands, themes, needs, and their validators."""

import csv
import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

FICHIER_NAF = Path(__file__).resolve().parent / "data" / "naf_rev2.csv"


@cache
def nomenclature_naf() -> dict[str, str]:
    """The 732 NAF rév. 2 sub-classes shipped in crm/data: {"62.01Z": "Programmation informatique", ...}."""
    with FICHIER_NAF.open(encoding="utf-8", newline="") as fichier:
        return {ligne["code"]: ligne["libelle"] for ligne in csv.DictReader(fichier)}


def naf_normaliser(code: str) -> str:
    """« 6201z », « 62.01Z », « 62 01 Z » → « 62.01Z » (empty stays empty)."""
    brut = "".join(code.split()).replace(".", "").upper()
    if len(brut) == 5:
        return f"{brut[:2]}.{brut[2:]}"
    return code.strip().upper()


def naf_libelle(code: str) -> str:
    return nomenclature_naf().get(code, "")


def valider_naf(code: str) -> None:
    if code and code not in nomenclature_naf():
        raise ValidationError(
            "« %(code)s » n'est pas un code NAF rév. 2 (exemple : 62.01Z).", code="naf_invalide", params={"code": code}
        )


BALISE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!?][^<>]*>")


def valider_sans_balise(valeur: str) -> None:
    """Names and short texts are plain text: an HTML tag there is a paste error or an attempt."""
    if valeur and BALISE_HTML.search(valeur):
        raise ValidationError(
            "Les balises HTML (texte entre < et >) ne sont pas acceptées ici : écrivez le texte seul.",
            code="balise_html",
        )


def valider_siren(valeur: str) -> None:
    if not valeur.isdigit() or len(valeur) != 9:
        raise ValidationError("Le SIREN compte exactement 9 chiffres.", code="siren_longueur")
    if not stdnum_siren.is_valid(valeur):
        raise ValidationError("Ce SIREN n'existe pas : sa clé de contrôle est fausse.", code="siren_cle")


def valider_siret(valeur: str) -> None:
    if not valeur.isdigit() or len(valeur) != 14:
        raise ValidationError("Le SIRET compte exactement 14 chiffres.", code="siret_longueur")
    if not stdnum_siret.is_valid(valeur):
        raise ValidationError("Ce SIRET n'existe pas : sa clé de contrôle est fausse.", code="siret_cle")


class TrancheEffectifs(models.TextChoices):
    """INSEE's size bands (trancheEffectifsUniteLegale / trancheEffectifsEtablissement)."""

    NN = "NN", "Non employeuse ou non renseigné"
    T00 = "00", "0 salarié"
    T01 = "01", "1 ou 2 salariés"
    T02 = "02", "3 à 5 salariés"
    T03 = "03", "6 à 9 salariés"
    T11 = "11", "10 à 19 salariés"
    T12 = "12", "20 à 49 salariés"
    T21 = "21", "50 à 99 salariés"
    T22 = "22", "100 à 199 salariés"
    T31 = "31", "200 à 249 salariés"
    T32 = "32", "250 à 499 salariés"
    T41 = "41", "500 à 999 salariés"
    T42 = "42", "1 000 à 1 999 salariés"
    T51 = "51", "2 000 à 4 999 salariés"
    T52 = "52", "5 000 à 9 999 salariés"
    T53 = "53", "10 000 salariés et plus"


class TypeInteraction(models.TextChoices):
    VISITE = "visite", "Visite"
    RENDEZ_VOUS = "rendez_vous", "Rendez-vous"
    APPEL = "appel", "Appel"
    EMAIL = "email", "Courriel"
    EVENEMENT = "evenement", "Événement"


class Theme(models.TextChoices):
    CREATION = "creation", "Création, reprise"
    DEVELOPPEMENT = "developpement", "Développement, investissement"
    INNOVATION = "innovation", "Innovation"
    EXPORT = "export", "Export, international"
    EMPLOI = "emploi", "Emploi, recrutement"
    FORMATION = "formation", "Formation"
    NUMERIQUE = "numerique", "Numérique"
    TRANSITION = "transition", "Transition écologique"
    FINANCEMENT = "financement", "Financement"
    DIFFICULTE = "difficulte", "Difficulté"
    IMPLANTATION = "implantation", "Implantation, foncier"


class Besoin(models.TextChoices):
    """What a company asks for in « Être contacté »; each need belongs to one direction."""

    CREER = "creer", "Créer ou reprendre une entreprise"
    INVESTIR = "investir", "Investir, se développer"
    INNOVER = "innover", "Innover"
    EXPORTER = "exporter", "Exporter"
    IMPLANTER = "implanter", "M'implanter ou m'agrandir dans la région"
    RECRUTER = "recruter", "Recruter"
    FORMER = "former", "Former mes salariés"
    NUMERIQUE = "numerique", "Me numériser"
    DIFFICULTE = "difficulte", "Passer une difficulté"
    AUTRE = "autre", "Autre besoin"


# Which direction answers which need (codes of portal.Direction).
DIRECTION_PAR_BESOIN = {
    Besoin.CREER: "DAEN",
    Besoin.INVESTIR: "DAEN",
    Besoin.INNOVER: "DIPI",
    Besoin.EXPORTER: "DTRI",
    Besoin.IMPLANTER: "DAEN",
    Besoin.RECRUTER: "DPRE",
    Besoin.FORMER: "DFP",
    Besoin.NUMERIQUE: "DAEN",
    Besoin.DIFFICULTE: "DAEN",
    Besoin.AUTRE: "DAEN",
}


class BaseLegale(models.TextChoices):
    INTERET_LEGITIME = "interet_legitime", "Intérêt légitime (suivi des entreprises)"
    CONSENTEMENT = "consentement", "Consentement"
    MISSION_PUBLIQUE = "mission_publique", "Mission d'intérêt public"
    CONTRAT = "contrat", "Exécution d'un contrat"


class TypeStructure(models.TextChoices):
    EPCI = "epci", "EPCI"
    CHAMBRE = "chambre", "Chambre consulaire (CCI, CMA, chambre d'agriculture)"
    FINANCEUR = "financeur", "Financeur (Bpifrance, HDFID, banque)"
    RESEAU = "reseau", "Réseau d'accompagnement (BGE, France Active, ADIE, Réseau Entreprendre...)"
    POLE = "pole", "Pôle de compétitivité, pôle d'excellence"
    AGENCE = "agence", "Agence (NFI, attractivité)"
    ETAT = "etat", "État et opérateurs (France Travail, DREETS...)"
    AUTRE = "autre", "Autre"
