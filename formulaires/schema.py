"""The JSON schema of a version, made from the draft and checked before it is frozen.

{"sections": [{"code", "titre", "aide", "eligibilite", "condition": {"champ", "valeur"} | None,
               "champs": [{"code", "libelle", "type", "aide", "requis", "options", "min", "max",
                           "date_min", "date_max", "bloquant": {"valeurs", "motif"} | None,
                           "cible", "preremplir", "coffre", "champs": [...] (a block's columns)}]}]}
"""

import re
from datetime import date

from django.core.exceptions import ValidationError

from .models import TYPES_A_OPTIONS, TYPES_CONDITION, TYPES_SOUS_CHAMP, Champ, Formulaire, TypeChamp

CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
AUJOURDHUI = "aujourdhui"


def _nombre(valeur) -> str | None:
    return None if valeur is None else str(valeur)


def champ_schema(champ: Champ, sous_champs: list[Champ]) -> dict:
    donnees = {
        "code": champ.code,
        "libelle": champ.libelle,
        "type": champ.type,
        "aide": champ.aide,
        "requis": champ.requis,
        "options": list(champ.options or []),
        "min": _nombre(champ.minimum),
        "max": _nombre(champ.maximum),
        "date_min": champ.date_min,
        "date_max": champ.date_max,
        "bloquant": {"valeurs": list(champ.valeurs_bloquantes), "motif": champ.motif_blocage}
        if champ.valeurs_bloquantes
        else None,
        "cible": champ.cible,
        "preremplir": champ.preremplir,
        "coffre": champ.coffre,
    }
    if champ.type == TypeChamp.BLOC:
        donnees["champs"] = [champ_schema(s, []) for s in sous_champs]
    return donnees


def schema_du_brouillon(formulaire: Formulaire) -> dict:
    """The draft as a schema (three queries whatever its size)."""
    sections = list(formulaire.sections.all())
    champs = list(Champ.objects.filter(section__formulaire=formulaire).order_by("ordre", "pk"))
    sous: dict[int, list[Champ]] = {}
    for champ in champs:
        if champ.parent_id:
            sous.setdefault(champ.parent_id, []).append(champ)
    return {
        "sections": [
            {
                "code": f"section_{i + 1}",
                "titre": section.titre,
                "aide": section.aide,
                "eligibilite": section.eligibilite,
                "condition": {"champ": section.condition_champ, "valeur": section.condition_valeur}
                if section.condition_champ
                else None,
                "champs": [
                    champ_schema(c, sous.get(c.pk, []))
                    for c in champs
                    if c.section_id == section.pk and not c.parent_id
                ],
            }
            for i, section in enumerate(sections)
        ]
    }


def tous_les_champs(schema: dict) -> list[dict]:
    """Every top-level question, in order (a block counts as one)."""
    return [champ for section in schema.get("sections", []) for champ in section["champs"]]


def _date_valide(valeur: str, codes_dates: set[str]) -> bool:
    if not valeur or valeur == AUJOURDHUI or valeur in codes_dates:
        return True
    try:
        date.fromisoformat(valeur)
    except ValueError:
        return False
    return True


def schema_verifier(schema: dict) -> None:
    """Raise a ValidationError listing, in French, what prevents publishing this schema."""
    erreurs: list[str] = []
    vus: dict[str, dict] = {}
    if not any(section["champs"] for section in schema.get("sections", [])):
        erreurs.append("Le formulaire n'a aucune question.")
    codes_dates = {c["code"] for c in tous_les_champs(schema) if c["type"] == TypeChamp.DATE}
    for section in schema.get("sections", []):
        condition = section.get("condition")
        if condition:
            source = vus.get(condition["champ"])
            if source is None:
                erreurs.append(
                    f"Section « {section['titre']} » : la condition porte sur « {condition['champ']} », qui n'est "
                    "pas une question d'une section précédente."
                )
            elif source["type"] not in TYPES_CONDITION:
                erreurs.append(
                    f"Section « {section['titre']} » : une condition porte sur une question oui/non ou à choix."
                )
            elif source["type"] != TypeChamp.OUI_NON and condition["valeur"] not in source["options"]:
                erreurs.append(
                    f"Section « {section['titre']} » : « {condition['valeur']} » n'est pas un choix de la question "
                    f"« {source['libelle']} »."
                )
        for champ in section["champs"]:
            for c in [champ, *champ.get("champs", [])]:
                if not CODE.match(c["code"]):
                    erreurs.append(
                        f"Code « {c['code']} » : lettres minuscules sans accent, chiffres et _, en commençant par "
                        "une lettre."
                    )
                if c["code"] in vus:
                    erreurs.append(f"Deux questions ont le code « {c['code']} ».")
                vus[c["code"]] = c
                if c["type"] in TYPES_A_OPTIONS and len(c["options"]) < 2:
                    erreurs.append(f"« {c['libelle']} » : donnez au moins deux choix.")
                if c["min"] is not None and c["max"] is not None and float(c["min"]) > float(c["max"]):
                    erreurs.append(f"« {c['libelle']} » : le minimum dépasse le maximum.")
                for borne in ("date_min", "date_max"):
                    if not _date_valide(c[borne], codes_dates):
                        erreurs.append(f"« {c['libelle']} » : « {c[borne]} » n'est ni une date ni une question date.")
            if champ["type"] == TypeChamp.BLOC:
                if not champ.get("champs"):
                    erreurs.append(f"Le bloc répété « {champ['libelle']} » n'a aucune colonne.")
                if any(s["type"] not in TYPES_SOUS_CHAMP for s in champ.get("champs", [])):
                    erreurs.append(f"Le bloc répété « {champ['libelle']} » ne contient ni fichier ni autre bloc.")
            if champ.get("bloquant") and not section.get("eligibilite"):
                erreurs.append(
                    f"« {champ['libelle']} » : une réponse bloquante se pose dans une section d'éligibilité."
                )
    if erreurs:
        raise ValidationError(erreurs)
