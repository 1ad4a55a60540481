"""Template filters shared by every app: French amounts."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

ESPACE_INSECABLE = "\u00a0"


def format_euros(valeur, decimales: int = 2) -> str:
    """12500 → « 12 500,00 € » (non-breaking spaces, as French typography wants)."""
    if valeur is None or valeur == "":
        return ""
    try:
        montant = Decimal(str(valeur)).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return ""
    signe = "-" if montant < 0 else ""
    entier, _, fraction = f"{abs(montant):.{decimales}f}".partition(".")
    groupes = []
    while entier:
        groupes.insert(0, entier[-3:])
        entier = entier[:-3]
    texte = ESPACE_INSECABLE.join(groupes)
    if decimales:
        texte += "," + fraction
    return f"{signe}{texte}{ESPACE_INSECABLE}€"


@register.filter
def euros(valeur) -> str:
    return format_euros(valeur)


@register.filter
def euros_arrondis(valeur) -> str:
    """Whole euros: « 300 000 € »."""
    return format_euros(valeur, decimales=0)
