"""The catalogue page's fragments kept in the shared cache: each result card (the same whatever the
search that lists it) and the facet panel (the same for every request of one search)."""

from django.core.cache import cache
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Thematique
from territoires.chargement import DEPARTEMENTS

GABARIT_CARTE = "aides/_carte.html"
GABARIT_FACETTES = "aides/_facettes.html"


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


def cartes_de_la_page(catalogue, duree: int) -> SafeString:
    """The page's result cards as the items of its list (`<li>` each): kept as one string under the
    page's key (`Catalogue.cle_cartes`, read with the counts and rows), else each card from
    `cartes_rendues`, then kept for the page."""
    html = catalogue.fragments.get(catalogue.cle_cartes) if catalogue.cle_cartes else None
    if html is None:
        cartes = cartes_rendues(habiller(catalogue.dispositifs), catalogue.generation, duree)
        html = "".join(f"<li>{carte}</li>\n" for carte in cartes)  # a plain str: read faster than SafeStrings
        if catalogue.cle_cartes:
            cache.set(catalogue.cle_cartes, html, duree)
    return mark_safe(html)  # cards rendered by the template engine, which escaped every value


def panneau_facettes(catalogue, filtres, duree: int) -> SafeString:
    """The facet panel's HTML (`aides/_facettes.html`): the counts and ticked values of the search,
    so it is kept in the shared cache under the search's key (`Catalogue.cle_facettes`, read with the
    counts) like the counts it shows. A search with an invalid filter is rendered each time (the raw
    value matters then)."""
    cle = catalogue.cle_facettes if not filtres.form.errors else None
    html = catalogue.fragments.get(cle) if cle else None
    if html is None:
        contexte = {"catalogue": catalogue, "taille_choisie": filtres.form["taille"].value()}
        html = get_template(GABARIT_FACETTES).render(contexte)
        if cle:
            cache.set(cle, html, duree)
    return mark_safe(html)  # rendered by the template engine, which escaped every value
