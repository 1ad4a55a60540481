"""Maps of the region's EPCI drawn on the server as SVG, from the outlines stored on `EPCI.contour`.

No tile server and no JavaScript: an equirectangular projection corrected by cos(latitude) is
accurate enough over a region 250 km wide. The projection is computed once per process and kept
while the set of EPCI stays the same (reloading the same reference data keeps it valid).
"""

import hashlib
import itertools
import math
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .models import EPCI

LARGEUR = 600  # SVG user units; the height follows from the region's proportions.
MARGE = 4

_identifiants = itertools.count(1)


@dataclass
class EPCIProjete:
    siren: str
    nom: str
    chemin: str  # the SVG path "d", "" when the EPCI has no outline
    centre: tuple[float, float] | None  # projected centroid of its largest polygon
    voisins: set[str] = field(default_factory=set)


@dataclass
class CarteProjetee:
    largeur: float
    hauteur: float
    epcis: dict[str, EPCIProjete]  # by SIREN, in name order


def _anneaux(geometrie: dict | None) -> list[list[list[list[float]]]]:
    """The polygons of a GeoJSON Polygon or MultiPolygon, each as a list of rings."""
    if not geometrie:
        return []
    if geometrie["type"] == "Polygon":
        return [geometrie["coordinates"]]
    if geometrie["type"] == "MultiPolygon":
        return list(geometrie["coordinates"])
    return []


def _aire_et_centre(anneau: list[tuple[float, float]]) -> tuple[float, tuple[float, float]]:
    """Signed-area formula (shoelace): absolute area and centroid of a projected ring."""
    aire = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(anneau + anneau[:1]):
        croix = x0 * y1 - x1 * y0
        aire += croix
        cx += (x0 + x1) * croix
        cy += (y0 + y1) * croix
    if abs(aire) < 1e-9:
        xs, ys = zip(*anneau, strict=True)
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(aire) / 2, (cx / (3 * aire), cy / (3 * aire))


def _nombre(valeur: float) -> str:
    return f"{valeur:.1f}".rstrip("0").rstrip(".")


def carte_projeter(lignes: list[tuple[str, str, dict | None]]) -> CarteProjetee:
    """Project (siren, nom, GeoJSON geometry) rows into SVG paths, centroids and neighbours."""
    points = [
        point
        for _, _, geometrie in lignes
        for polygone in _anneaux(geometrie)
        for anneau in polygone
        for point in anneau
    ]
    if not points:
        return CarteProjetee(LARGEUR, 0, {siren: EPCIProjete(siren, nom, "", None) for siren, nom, _ in lignes})
    lon_min = min(p[0] for p in points)
    lon_max = max(p[0] for p in points)
    lat_min = min(p[1] for p in points)
    lat_max = max(p[1] for p in points)
    correction = math.cos(math.radians((lat_min + lat_max) / 2))
    echelle = (LARGEUR - 2 * MARGE) / ((lon_max - lon_min) * correction)
    hauteur = (lat_max - lat_min) * echelle + 2 * MARGE

    def projeter(lon: float, lat: float) -> tuple[float, float]:
        return (MARGE + (lon - lon_min) * correction * echelle, MARGE + (lat_max - lat) * echelle)

    epcis: dict[str, EPCIProjete] = {}
    # Shared boundaries keep identical vertices in the simplified outlines: two EPCI sharing at
    # least two vertices share a stretch of border.
    sommets: dict[tuple[float, float], set[str]] = defaultdict(set)
    for siren, nom, geometrie in lignes:
        morceaux, meilleure_aire, centre = [], -1.0, None
        for polygone in _anneaux(geometrie):
            for rang, anneau in enumerate(polygone):
                for lon, lat in anneau:
                    sommets[(lon, lat)].add(siren)
                projete = [projeter(lon, lat) for lon, lat in anneau]
                arrondi = [(_nombre(x), _nombre(y)) for x, y in projete]
                # Drop the consecutive points that rounding merged.
                arrondi = [p for p, precedent in zip(arrondi, [None, *arrondi[:-1]], strict=True) if p != precedent]
                if len(arrondi) < 3:
                    continue
                morceaux.append("M" + "L".join(f"{x} {y}" for x, y in arrondi) + "Z")
                if rang == 0:
                    aire, centre_anneau = _aire_et_centre(projete)
                    if aire > meilleure_aire:
                        meilleure_aire, centre = aire, centre_anneau
        epcis[siren] = EPCIProjete(siren, nom, "".join(morceaux), centre)

    contacts: dict[tuple[str, str], int] = defaultdict(int)
    for sirens in sommets.values():
        for a, b in itertools.combinations(sorted(sirens), 2):
            contacts[(a, b)] += 1
    for (a, b), nombre in contacts.items():
        if nombre >= 2:
            epcis[a].voisins.add(b)
            epcis[b].voisins.add(a)
    return CarteProjetee(LARGEUR, hauteur, epcis)


_cache: dict[str, object] = {}
_verrou = threading.Lock()


def _cle_partagee(sirens: frozenset[str]) -> str:
    return "territoires:carte:" + hashlib.sha256(",".join(sorted(sirens)).encode()).hexdigest()[:32]


def carte_region(*, refaire: bool = False) -> CarteProjetee:
    """The projected map of every EPCI, rebuilt only when the set of EPCI changed (one light query).

    Projecting the outlines takes about a second: it is kept in this process and in the shared cache,
    so that a new process (a deploy, another web node) takes it from there instead of projecting
    again; `manage.py charger_territoires` projects it anew (`refaire`: outlines may have changed)
    and leaves it there for the first request."""
    sirens = frozenset(EPCI.objects.order_by().values_list("siren", flat=True))
    with _verrou:
        if refaire or _cache.get("sirens") != sirens:
            carte = None if refaire else cache.get(_cle_partagee(sirens))
            if carte is None:
                lignes = list(EPCI.objects.order_by("nom").values_list("siren", "nom", "contour"))
                carte = carte_projeter(lignes)
                cache.set(_cle_partagee(sirens), carte, timeout=None)
            _cache["carte"] = carte
            _cache["sirens"] = sirens
        return _cache["carte"]


def carte_region_svg(
    classes: dict[str, str],
    titre: str,
    description: str,
    lien: Callable[[str], str] | None = None,
    carte: CarteProjetee | None = None,
) -> SafeString:
    """An SVG map of the region's EPCI; `classes` maps a SIREN to extra CSS classes for its shape.

    Without `lien` the map is one image (`role="img"`) named by its title and described by its
    description; give its text alternative next to it. With `lien(siren) -> url`, each EPCI is a
    link named after the EPCI, and the map is a labelled group. Pass `carte` (from `carte_region()`)
    to draw several maps or texts from one check of the cache.
    """
    carte = carte or carte_region()
    numero = next(_identifiants)
    id_titre, id_desc = f"carte-{numero}-titre", f"carte-{numero}-desc"
    role = "group" if lien else "img"
    formes = []
    for epci in carte.epcis.values():
        if not epci.chemin:
            continue
        classe = " ".join(["epci", *classes.get(epci.siren, "").split()])
        if lien:
            formes.append(
                format_html(
                    '<a href="{}" aria-label="{}"><path class="{}" d="{}"><title>{}</title></path></a>',
                    lien(epci.siren),
                    epci.nom,
                    classe,
                    epci.chemin,
                    epci.nom,
                )
            )
        else:
            formes.append(
                format_html('<path class="{}" d="{}"><title>{}</title></path>', classe, epci.chemin, epci.nom)
            )
    return mark_safe(
        f'<svg class="carte-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_nombre(carte.largeur)} '
        f'{_nombre(carte.hauteur)}" role="{role}" aria-labelledby="{id_titre} {id_desc}">'
        f'<title id="{id_titre}">{escape(titre)}</title><desc id="{id_desc}">{escape(description)}</desc>'
        + "".join(formes)
        + "</svg>"
    )


def _position(carte: CarteProjetee, centre: tuple[float, float]) -> str:
    x, y = centre
    verticale = "nord" if y < carte.hauteur / 3 else "sud" if y > 2 * carte.hauteur / 3 else ""
    horizontale = "ouest" if x < carte.largeur / 3 else "est" if x > 2 * carte.largeur / 3 else ""
    zone = "-".join(filter(None, [verticale, horizontale]))
    if not zone:
        return "au centre de la région"
    return f"dans l'{zone} de la région" if zone[0] in "aeiou" else f"dans le {zone} de la région"


def _enumerer(noms: list[str]) -> str:
    # Semicolons when a name holds a comma ("Béthune-Bruay, Artois-Lys Romane").
    separateur = " ; " if any("," in nom for nom in noms) else ", "
    return noms[0] if len(noms) == 1 else separateur.join(noms[:-1]) + " et " + noms[-1]


# "dans le département de la Somme": the article each of the region's département names takes.
DANS_LE_DEPARTEMENT = {
    "02": "de l'Aisne",
    "59": "du Nord",
    "60": "de l'Oise",
    "62": "du Pas-de-Calais",
    "80": "de la Somme",
}


def epci_situation(epci: EPCI, carte: CarteProjetee | None = None) -> str:
    """The text alternative of the map highlighting `epci`: département(s), position, neighbours."""
    carte = carte or carte_region()
    departements = [f"{DANS_LE_DEPARTEMENT.get(d.code, d.nom)} ({d.code})" for d in epci.departements.all()]
    phrases = []
    if departements:
        lieu = "le département" if len(departements) == 1 else "les départements"
        phrases.append(f"L'EPCI {epci.nom} est situé dans {lieu} {_enumerer(departements)}")
    else:
        phrases.append(f"L'EPCI {epci.nom} est situé dans les Hauts-de-France")
    projete = carte.epcis.get(epci.siren)
    if projete is None or projete.centre is None:
        return phrases[0] + ". Son contour n'est pas disponible : il n'apparaît pas sur la carte."
    phrases[0] += ", " + _position(carte, projete.centre) + "."
    voisins = sorted((carte.epcis[s].nom for s in projete.voisins), key=str.casefold)
    if voisins:
        phrases.append(f"Il est limitrophe de {len(voisins)} EPCI : {_enumerer(voisins)}.")
    return " ".join(phrases)
