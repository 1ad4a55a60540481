"""Amounts in French words for legal documents: « douze mille cinq cents euros et cinquante centimes »."""

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words

from portal.templatetags.portail import format_euros


def _unite(nombre: int, singulier: str, pluriel: str) -> str:
    return singulier if nombre <= 1 else pluriel


def montant_en_lettres(valeur) -> str:
    """12500.5 → « douze mille cinq cents euros et cinquante centimes »; 1 → « un euro »;
    1 000 000 → « un million d'euros » (French: « de » before « euros » after million/milliard)."""
    montant = Decimal(str(valeur)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if montant < 0:
        raise ValueError("Montant négatif")
    euros = int(montant)
    centimes = int((montant - euros) * 100)
    parties = []
    if euros or not centimes:
        mots = num2words(euros, lang="fr")
        separateur = " d'" if mots.endswith(("million", "millions", "milliard", "milliards")) else " "
        parties.append(f"{mots}{separateur}{_unite(euros, 'euro', 'euros')}")
    if centimes:
        parties.append(f"{num2words(centimes, lang='fr')} {_unite(centimes, 'centime', 'centimes')}")
    return " et ".join(parties)


def montant_complet(valeur) -> str:
    """« 12 500,00 € (douze mille cinq cents euros) »."""
    return f"{format_euros(valeur)} ({montant_en_lettres(valeur)})"
