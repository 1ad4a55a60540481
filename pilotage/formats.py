"""French formatting of figures (12 500 €, 45,2 %, 12 jours) for pages and PDFs."""

from portal.templatetags.portail import ESPACE_INSECABLE, format_euros


def nombre(valeur) -> str:
    if valeur is None:
        return "—"
    entier = f"{int(valeur):,}".replace(",", ESPACE_INSECABLE)
    return entier


def decimal_fr(valeur, chiffres: int = 1) -> str:
    if valeur is None:
        return "—"
    return f"{float(valeur):,.{chiffres}f}".replace(",", ESPACE_INSECABLE).replace(".", ",")


def euros(valeur) -> str:
    return "—" if valeur is None else format_euros(valeur, decimales=0)


def pourcentage(valeur) -> str:
    return "—" if valeur is None else f"{decimal_fr(valeur)}{ESPACE_INSECABLE}%"


def jours(valeur) -> str:
    if valeur is None:
        return "—"
    return f"{decimal_fr(valeur)}{ESPACE_INSECABLE}jour{'s' if float(valeur) >= 2 else ''}"
