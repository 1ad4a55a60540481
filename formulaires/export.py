"""The columns of a version for an export: one per question, a block's lines joined in one cell."""

from .models import TypeChamp
from .schema import tous_les_champs


def colonnes(schema: dict) -> list[tuple[str, str]]:
    """(code, header) of every question, in the form's order."""
    return [(c["code"], c["libelle"]) for c in tous_les_champs(schema)]


def valeur_cellule(champ: dict, valeur) -> str:
    if valeur in (None, "", []):
        return ""
    if champ["type"] == TypeChamp.BLOC:
        return " | ".join(
            " ; ".join(f"{c['libelle']} : {ligne.get(c['code'], '')}" for c in champ["champs"]) for ligne in valeur
        )
    if champ["type"] == TypeChamp.CHOIX_MULTIPLE:
        return ", ".join(valeur)
    if champ["type"] == TypeChamp.FICHIER:
        return valeur.get("nom", "") if isinstance(valeur, dict) else str(valeur)
    if champ["type"] == TypeChamp.OUI_NON:
        return {"oui": "Oui", "non": "Non"}.get(valeur, valeur)
    return str(valeur)


def ligne_export(schema: dict, reponses: dict) -> list[str]:
    return [valeur_cellule(c, reponses.get(c["code"])) for c in tous_les_champs(schema)]
