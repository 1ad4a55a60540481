"""Template filters shared by every app: French amounts and durations."""

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


@register.filter
def duree(valeur) -> str:
    """A timedelta in words: « 15 minutes », « 1 heure 30 minutes »."""
    if valeur is None or valeur == "":
        return ""
    minutes = round(valeur.total_seconds() / 60)
    if minutes < 1:
        return "moins d'une minute"
    heures, minutes = divmod(minutes, 60)
    parties = []
    if heures:
        parties.append(f"{heures} heure{'s' if heures > 1 else ''}")
    if minutes:
        parties.append(f"{minutes} minute{'s' if minutes > 1 else ''}")
    return " ".join(parties)
