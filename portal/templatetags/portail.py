"""Template filters shared by every app: French amounts, durations, plurals, years and file sizes;
the `actions` tag (what the user may do with an object in its state)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from portal.transitions import actions_permises

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


def est_pluriel(nombre) -> bool:
    """French agreement: 0 and 1 (and 1,5) take the singular, 2 and more the plural."""
    try:
        return abs(Decimal(str(nombre))) >= 2
    except (InvalidOperation, TypeError, ValueError):
        try:
            return len(nombre) >= 2
        except TypeError:
            return False


@register.filter
def pluriel(nombre, formes: str = "s") -> str:
    """`aide{{ n|pluriel }}`, `correspond{{ n|pluriel:"ent" }}`, `{{ n|pluriel:"al,aux" }}`.

    Unlike Django's `pluralize` (English: « 0 aides »), French keeps 0 and 1 singular. A list or
    queryset counts its items.
    """
    singulier, _, pluriel_ = formes.rpartition(",") if "," in formes else ("", "", formes)
    return pluriel_ if est_pluriel(nombre) else singulier


@register.filter
def annee(valeur) -> str:
    """A year as written in French: « 2025 », never « 2 025 » (no thousands separator)."""
    if valeur is None or valeur == "":
        return ""
    try:
        return str(int(valeur))
    except (TypeError, ValueError):
        return str(valeur)


def format_taille(octets) -> str:
    """A file size in French units: « 512 octets », « 12 Ko », « 1,5 Mo », « 2,1 Go » (1 Ko = 1 024 octets)."""
    try:
        octets = int(octets)
    except (TypeError, ValueError):
        return ""
    if octets < 1024:
        return f"{octets}{ESPACE_INSECABLE}octet{'s' if octets >= 2 else ''}"
    for unite in ("Ko", "Mo", "Go", "To"):
        octets /= 1024
        if octets < 1024 or unite == "To":
            break
    chiffres = f"{octets:.0f}" if octets >= 100 or unite == "Ko" else f"{octets:.1f}".removesuffix(".0")
    return f"{chiffres.replace('.', ',')}{ESPACE_INSECABLE}{unite}"


@register.filter
def taille(octets) -> str:
    return format_taille(octets)


@register.filter
def minuscule_initiale(texte) -> str:
    """« Montant HT (€) » → « montant HT (€) »: lowercases the first letter only, never an acronym."""
    texte = str(texte)
    if not texte or (len(texte) > 1 and texte[1].isupper()):
        return texte
    return texte[0].lower() + texte[1:]


@register.simple_tag(takes_context=True)
def actions(context, objet) -> set[str]:
    """`{% actions objet as a %}`: what the page's user may do with `objet` in its current state
    (company pages act for `request.membre`)."""
    request = context["request"]
    return actions_permises(request.user, objet, membre=getattr(request, "membre", None))
