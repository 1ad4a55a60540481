"""The catalogue's result cards: what a card shows beside the fields, and its HTML kept in the
shared cache, since a card is the same whatever the search that lists it."""

from django.core.cache import cache
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Thematique
from territoires.chargement import DEPARTEMENTS

GABARIT_CARTE = "aides/_carte.html"


def territoire_texte(dispositif: Dispositif) -> str:
    """« Toute la région Hauts-de-France », or the départements and EPCI covered (`avec_territoires`)."""
    if dispositif.couvre_region:
        return "Toute la région Hauts-de-France"
    parties = [f"{DEPARTEMENTS.get(code, code)} ({code})" for code in dispositif.codes_departements]
    parties += dispositif.noms_epcis
    return ", ".join(parties) or "territoire non précisé"


def habiller(dispositifs: list[Dispositif]) -> list[Dispositif]:
    """What the cards show beside the fields: state of the day and the labels."""
    jour = timezone.localdate()
    etiquettes = dict(Thematique.choices)
    natures = dict(Nature.choices)
    modele_adresse = reverse("aides:detail", args=["_"])  # one reverse() for the whole page
    for dispositif in dispositifs:
        dispositif.adresse = modele_adresse.replace("/_/", f"/{dispositif.slug}/")
        dispositif.clos = dispositif.date_cloture is not None and dispositif.date_cloture < jour
        dispositif.bientot = dispositif.date_ouverture is not None and dispositif.date_ouverture > jour
        dispositif.libelle_nature = natures.get(dispositif.nature, dispositif.nature)
        dispositif.libelles_thematiques = [etiquettes.get(code, code) for code in dispositif.thematiques]
        dispositif.territoire = territoire_texte(dispositif)
    return dispositifs


def cartes_rendues(dispositifs: list[Dispositif], generation: str | None, duree: int) -> list[SafeString]:
    """Each card's HTML (`aides/_carte.html`, on `habiller`-ed dispositifs), in order.

    With a catalogue generation (see `catalogue_rechercher`), cards are read in one call from the
    shared cache, keyed by dispositif, day and generation (any change to a dispositif starts a new
    generation), and only the missing ones are rendered and stored.
    """
    jour = timezone.localdate().isoformat()
    cles = [f"catalogue:carte:{generation}:{jour}:{d.pk}" for d in dispositifs] if generation else []
    trouvees = cache.get_many(cles) if cles else {}
    gabarit = get_template(GABARIT_CARTE)
    cartes, nouvelles = [], {}
    for i, dispositif in enumerate(dispositifs):
        html = trouvees.get(cles[i]) if cles else None
        if html is None:
            html = gabarit.render({"dispositif": dispositif})
            if cles:
                nouvelles[cles[i]] = html
        cartes.append(mark_safe(html))  # rendered by the template engine, which escaped every value
    if nouvelles:
        cache.set_many(nouvelles, duree)
    return cartes
