"""Charts drawn on the server as accessible SVG: no JavaScript, no external library.

Each chart is an <svg role="img"> named by its <title> and described by its <desc>; the page always
shows the same figures in a table next to it (the chart is a picture of the table, not a substitute).
Colours come from presentation attributes (the CSP forbids inline styles) and series are told apart
by a pattern of value labels too, not by colour alone.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COULEURS = ["#000091", "#c9191e", "#18753c", "#b34000"]  # contrast ≥ 4.5:1 on white
_compteur = {"n": 0}


def _identifiant(prefixe: str) -> str:
    _compteur["n"] += 1
    return f"{prefixe}-{_compteur['n']}"


def _nombre_court(valeur: float) -> str:
    if abs(valeur) >= 1_000_000:
        return f"{valeur / 1_000_000:.1f} M".replace(".", ",")
    if abs(valeur) >= 10_000:
        return f"{valeur / 1000:.0f} k"
    return f"{valeur:.0f}" if float(valeur).is_integer() else f"{valeur:.1f}".replace(".", ",")


def _entete(titre: str, description: str, largeur: int, hauteur: int) -> tuple[str, str]:
    ident = _identifiant("graphique")
    debut = (
        f'<svg class="graphique" role="img" viewBox="0 0 {largeur} {hauteur}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{ident}-titre {ident}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-titre">{escape(titre)}</title><desc id="{ident}-desc">{escape(description)}</desc>'
    )
    return ident, debut


def histogramme_svg(
    *, titre: str, description: str, etiquettes: list[str], series: list[tuple[str, list[float]]]
) -> SafeString:
    """Grouped vertical bars: one group per label (month, year), one bar per series."""
    largeur, hauteur, marge_g, marge_b, marge_h = 720, 260, 48, 44, 24
    _ident, svg = _entete(titre, description, largeur, hauteur)
    maximum = max([v for _nom, valeurs in series for v in valeurs] + [0]) or 1
    zone_h = hauteur - marge_b - marge_h
    groupe_l = (largeur - marge_g - 8) / max(len(etiquettes), 1)
    barre_l = max(groupe_l * 0.8 / max(len(series), 1), 2)
    parties = [svg]
    # Axis and three grid lines with their values.
    for fraction in (0, 0.5, 1):
        y = marge_h + zone_h * (1 - fraction)
        parties.append(
            f'<line x1="{marge_g}" x2="{largeur - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="#929292" stroke-width="0.5"/>'
            f'<text x="{marge_g - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#3a3a3a">'
            f"{escape(_nombre_court(maximum * fraction))}</text>"
        )
    for i, etiquette in enumerate(etiquettes):
        x0 = marge_g + i * groupe_l + groupe_l * 0.1
        for j, (_nom, valeurs) in enumerate(series):
            valeur = valeurs[i] if i < len(valeurs) else 0
            h = zone_h * (valeur / maximum)
            x = x0 + j * barre_l
            parties.append(
                f'<rect x="{x:.1f}" y="{marge_h + zone_h - h:.1f}" width="{barre_l - 1:.1f}" height="{h:.1f}" '
                f'fill="{COULEURS[j % len(COULEURS)]}"/>'
            )
        parties.append(
            f'<text x="{x0 + groupe_l * 0.4:.1f}" y="{hauteur - marge_b + 16}" text-anchor="middle" font-size="11" '
            f'fill="#3a3a3a">{escape(etiquette)}</text>'
        )
    # Legend (text, so the series are named without relying on colour).
    x = marge_g
    for j, (nom, _valeurs) in enumerate(series):
        parties.append(
            f'<rect x="{x}" y="{hauteur - 16}" width="10" height="10" fill="{COULEURS[j % len(COULEURS)]}"/>'
            f'<text x="{x + 14}" y="{hauteur - 7}" font-size="11" fill="#161616">{escape(nom)}</text>'
        )
        x += 20 + 7 * len(nom)
    parties.append("</svg>")
    return mark_safe("".join(parties))


def barres_horizontales_svg(*, titre: str, description: str, lignes: list[tuple[str, float, str]]) -> SafeString:
    """One horizontal bar per line (label, value, value as text), values written at the bar's end."""
    largeur, ligne_h, marge_g = 720, 22, 260
    hauteur = max(len(lignes), 1) * ligne_h + 8
    _ident, svg = _entete(titre, description, largeur, hauteur)
    maximum = max([v for _e, v, _t in lignes] + [0]) or 1
    parties = [svg]
    for i, (etiquette, valeur, texte) in enumerate(lignes):
        y = 4 + i * ligne_h
        longueur = (largeur - marge_g - 90) * (valeur / maximum)
        court = etiquette if len(etiquette) <= 38 else etiquette[:37] + "…"
        parties.append(
            f'<text x="{marge_g - 6}" y="{y + 14}" text-anchor="end" font-size="11" fill="#161616">'
            f"{escape(court)}</text>"
            f'<rect x="{marge_g}" y="{y + 3}" width="{longueur:.1f}" height="{ligne_h - 8}" fill="{COULEURS[0]}"/>'
            f'<text x="{marge_g + longueur + 4:.1f}" y="{y + 14}" font-size="11" fill="#161616">{escape(texte)}</text>'
        )
    parties.append("</svg>")
    return mark_safe("".join(parties))
