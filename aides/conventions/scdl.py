"""Open data of subsidies: the national SCDL « subventions » CSV (décret n° 2017-779: subsidies above
€23,000 are published), and a small validator for the Table Schema features that schema uses."""

import calendar
import csv
import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from stdnum.fr import siret as siret_fr

from aides.catalogue.referentiels import Nature, RegimeAide
from aides.conventions.models.convention import ConventionAide, Etape, EtapeConvention
from portal.tableurs import csv_ecrire

SCHEMA = Path(__file__).parent / "data" / "scdl-subventions-2.0.1.schema.json"
SEUIL = Decimal("23000")
NOM_ATTRIBUANT = "Région Hauts-de-France"
# SIRET of the Conseil régional des Hauts-de-France (SIREN 200053742), overridable in settings.
SIRET_ATTRIBUANT = "20005374200017"


@cache
def schema() -> dict:
    """Read once per process (one call per exported row otherwise); callers must not mutate it."""
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def colonnes() -> list[str]:
    return [champ["name"] for champ in schema()["fields"]]


def conventions_publiables(annee: int):
    """Subsidies above €23,000 whose convention the Région signed that year (lapsed ones excluded);
    the date is the one of the step « signée par la Région » in the history."""
    signature_region = EtapeConvention.objects.filter(convention=OuterRef("pk"), vers=Etape.SIGNEE_REGION)
    return (
        ConventionAide.objects.filter(nature=Nature.SUBVENTION, montant__gt=SEUIL)
        .exclude(etape=Etape.CADUQUE)
        .annotate(signee_le=Subquery(signature_region.values("le")[:1]))
        .filter(signee_le__year=annee)
        .select_related("etablissement__entreprise", "dispositif", "demande")
        .prefetch_related("versements")
        .order_by("signee_le", "pk")
    )


def _nombre(valeur: Decimal) -> str:
    return f"{valeur:.2f}"


# Table Schema's default lexical forms of a boolean; a field's trueValues/falseValues replace them.
VRAIS_PAR_DEFAUT = ["true", "True", "TRUE", "1"]
FAUX_PAR_DEFAUT = ["false", "False", "FALSE", "0"]


def _booleen(valeur: bool, nom: str) -> str:
    """The schema's own spelling of a boolean (SCDL 2.0.1 says « oui » / « non » for notificationUE)."""
    champ = next(c for c in schema()["fields"] if c["name"] == nom)
    return (
        (champ.get("trueValues") or VRAIS_PAR_DEFAUT)[0] if valeur else (champ.get("falseValues") or FAUX_PAR_DEFAUT)[0]
    )


def _ajouter_mois(jour: date, mois: int) -> date:
    annee, rang = divmod(jour.month - 1 + mois, 12)
    annee += jour.year
    return date(annee, rang + 1, min(jour.day, calendar.monthrange(annee, rang + 1)[1]))


def date_ou_periode(convention: ConventionAide, signee: date) -> str:
    """datesPeriodeVersement as the schema defines it: the date of a single payment once known;
    otherwise (a staggered plan, or a single payment not made yet) the period AAAA-MM-JJ/AAAA-MM-JJ,
    from the first payment (or the signature) to the last one once the convention is paid off, or
    else to the end of the convention's validity."""
    paiements = sorted(timezone.localdate(v.paye_le) for v in convention.versements.all() if v.paye_le)
    echelonne = len(convention.echeancier or []) > 1
    if paiements and not echelonne:
        return f"{paiements[0]:%Y-%m-%d}"
    debut = paiements[0] if paiements else signee
    if convention.etape == Etape.SOLDEE and paiements:
        fin = paiements[-1]
    else:
        fin = max(_ajouter_mois(signee, convention.duree_mois), paiements[-1] if paiements else signee)
    return f"{debut:%Y-%m-%d}/{fin:%Y-%m-%d}"


def ligne_scdl(convention: ConventionAide) -> dict:
    signee = timezone.localdate(convention.signee_le)
    return {
        "nomAttribuant": NOM_ATTRIBUANT,
        "idAttribuant": getattr(settings, "SCDL_SIRET_ATTRIBUANT", SIRET_ATTRIBUANT),
        "dateConvention": f"{signee:%Y-%m-%d}",
        "referenceDecision": convention.reference_decision,
        "nomBeneficiaire": convention.etablissement.entreprise.denomination,
        "idBeneficiaire": convention.etablissement.siret,
        "objet": " ".join(convention.objet.split())[:256],
        "montant": _nombre(convention.montant),
        "nature": "aide en numéraire",
        # Spelled as in the SCDL's own valid example (« unique », « échelonné »).
        "conditionsVersement": "échelonné" if len(convention.echeancier or []) > 1 else "unique",
        "datesPeriodeVersement": date_ou_periode(convention, signee),
        "idRAE": "",
        # « Aide d'État notifiée à la Commission européenne »: only an aid granted under a scheme the
        # Commission approved after notification; block-exempted (RGEC) and de minimis aids are by
        # definition exempt from notification (art. 108(3) TFEU), and aids outside state aid too.
        "notificationUE": _booleen(convention.dispositif.regime == RegimeAide.NOTIFIE, "notificationUE"),
        # The beneficiary's share of the subsidy (schema: « 1.00 » for a single beneficiary, which a
        # convention of the Région always has), not the aid rate of the expenses.
        "pourcentageSubvention": "1.00",
    }


ANNEES_PUBLIABLES = range(2000, 2101)  # PostgreSQL's year lookup needs a real year (no 500 on ?annee=99999)


def annee_publiable(valeur) -> int:
    """The year asked for, or a French ValueError (a command argument or a query string)."""
    try:
        annee = int(valeur)
    except (TypeError, ValueError):
        raise ValueError(f"« {valeur} » n'est pas une année.") from None
    if annee not in ANNEES_PUBLIABLES:
        raise ValueError(
            f"L'année doit être comprise entre {ANNEES_PUBLIABLES[0]} et {ANNEES_PUBLIABLES[-1]} (reçu : {annee})."
        )
    return annee


FORMAT_SCDL = {"delimiteur": ",", "bom": False, "fin": "\n"}  # the schema's CSV, not a French spreadsheet's


def scdl_ecrire(sortie, *, annee: int) -> int:
    """Write the CSV (UTF-8, comma, decimal point, columns in the schema's order); return the rows.

    Written by the portal's one formula-safe writer: a company name typed as `=HYPERLINK(…)` is
    published with a leading apostrophe, never as a formula."""
    return csv_ecrire(sortie, *scdl_lignes(annee), **FORMAT_SCDL)


def scdl_lignes(annee: int) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of the year's file, in the schema's order."""
    noms = colonnes()
    return noms, ([ligne[nom] for nom in noms] for ligne in map(ligne_scdl, conventions_publiables(annee)))


# --- Validation --------------------------------------------------------------------------------


def _erreur_type(valeur: str, champ: dict) -> str | None:
    type_ = champ.get("type", "string")
    try:
        if type_ == "number":
            Decimal(valeur)
            if not re.fullmatch(r"-?\d+(\.\d+)?", valeur):
                return "nombre attendu avec un point décimal"
        elif type_ == "integer":
            int(valeur)
        elif type_ == "date":
            date.fromisoformat(valeur)
        elif type_ == "boolean":
            admis = (champ.get("trueValues") or VRAIS_PAR_DEFAUT) + (champ.get("falseValues") or FAUX_PAR_DEFAUT)
            if valeur not in admis:
                return f"booléen attendu ({' / '.join(admis)})"
    except (ValueError, ArithmeticError):
        return f"valeur de type {type_} attendue"
    return None


def valider_csv(texte: str, schema_json: dict | None = None) -> list[str]:
    """Errors of the CSV against the Table Schema (empty list: valid). Checks the header (names and
    order), required, type, pattern, enum, minLength/maxLength, minimum/maximum, plus the SIRET
    checksum the schema's notes ask for."""
    schema_json = schema_json or schema()
    champs = schema_json["fields"]
    lignes = list(csv.reader(texte.splitlines()))
    if not lignes:
        return ["fichier vide"]
    erreurs = []
    attendu = [c["name"] for c in champs]
    if lignes[0] != attendu:
        erreurs.append(f"en-tête {lignes[0]} au lieu de {attendu}")
        return erreurs
    for numero, ligne in enumerate(lignes[1:], start=2):
        if len(ligne) != len(champs):
            erreurs.append(f"ligne {numero} : {len(ligne)} colonnes au lieu de {len(champs)}")
            continue
        for valeur, champ in zip(ligne, champs, strict=True):
            nom, contraintes = champ["name"], champ.get("constraints", {})
            if valeur == "":
                if contraintes.get("required"):
                    erreurs.append(f"ligne {numero}, {nom} : valeur obligatoire")
                continue
            if message := _erreur_type(valeur, champ):
                erreurs.append(f"ligne {numero}, {nom} : {message}")
                continue
            if "pattern" in contraintes and not re.fullmatch(contraintes["pattern"], valeur):
                erreurs.append(f"ligne {numero}, {nom} : « {valeur} » ne suit pas le motif {contraintes['pattern']}")
            if "enum" in contraintes and valeur not in contraintes["enum"]:
                erreurs.append(f"ligne {numero}, {nom} : « {valeur} » hors de la liste autorisée")
            if "maxLength" in contraintes and len(valeur) > contraintes["maxLength"]:
                erreurs.append(f"ligne {numero}, {nom} : plus de {contraintes['maxLength']} caractères")
            if "minLength" in contraintes and len(valeur) < contraintes["minLength"]:
                erreurs.append(f"ligne {numero}, {nom} : moins de {contraintes['minLength']} caractères")
            if champ.get("type") == "number":
                if "minimum" in contraintes and Decimal(valeur) < Decimal(str(contraintes["minimum"])):
                    erreurs.append(f"ligne {numero}, {nom} : inférieur à {contraintes['minimum']}")
                if "maximum" in contraintes and Decimal(valeur) > Decimal(str(contraintes["maximum"])):
                    erreurs.append(f"ligne {numero}, {nom} : supérieur à {contraintes['maximum']}")
            if nom in {"idAttribuant", "idBeneficiaire"} and not siret_fr.is_valid(valeur):
                erreurs.append(f"ligne {numero}, {nom} : SIRET « {valeur} » invalide (clé de Luhn)")
    return erreurs
