"""Extension point: other apps add sections to territoires' pages without territoires importing them.

`territoires` imports none of aides, crm or parcours (see DESIGN.md §3). An app that wants to show
something on the public contacts page of an EPCI, on the staff EPCI page or on a convention page
registers a *fournisseur* in its `AppConfig.ready()`:

    from territoires.extensions import PAGE_CONTACTS, Section, section_enregistrer

    def dispositifs_couverts(epci, request):
        dispositifs = Dispositif.objects.publies().filter(conventions__in=...)
        if not dispositifs:
            return None
        return Section("Dispositifs couverts par les conventions", "aides/_dispositifs_epci.html",
                       {"dispositifs": dispositifs})

    section_enregistrer(PAGE_CONTACTS, dispositifs_couverts, ordre=10)

A fournisseur receives the page's object (an `EPCI` for PAGE_CONTACTS and PAGE_EPCI, a
`ConventionTerritoriale` for PAGE_CONVENTION, a `RevueDeProjets` for PAGE_REVUE) and the request,
and returns a `Section` or None (nothing to show). Sections are rendered in `ordre`, then
registration order, below the page's own content, each under an <h2> with its title.
PAGE_CONTACTS is public: show only public data there.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.text import slugify

PAGE_CONTACTS = "contacts"  # /territoires/<siren>/contacts/, public, object: EPCI
PAGE_EPCI = "epci"  # /agents/territoires/epci/<siren>/, staff, object: EPCI
PAGE_CONVENTION = "convention"  # /agents/territoires/conventions/<pk>/, staff, object: ConventionTerritoriale
PAGE_REVUE = "revue"  # /agents/crm/revues/<pk>/, staff, object: RevueDeProjets
PAGE_DISPOSITIF = "dispositif"  # /agents/aides/<pk>/, staff, object: aides.Dispositif
PAGES = (PAGE_CONTACTS, PAGE_EPCI, PAGE_CONVENTION, PAGE_REVUE, PAGE_DISPOSITIF)


@dataclass(frozen=True)
class Section:
    titre: str
    template: str
    contexte: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SectionRendue:
    titre: str
    identifiant: str
    html: SafeString


Fournisseur = Callable[[object, object], Section | None]

_registre: dict[str, list[tuple[int, int, Fournisseur]]] = {page: [] for page in PAGES}


def section_enregistrer(page: str, fournisseur: Fournisseur, *, ordre: int = 100) -> None:
    """Register `fournisseur` for `page`; registering the same callable twice has no effect."""
    if page not in _registre:
        raise ValueError(f"Page inconnue « {page} » : choisissez parmi {', '.join(PAGES)}.")
    if any(f is fournisseur for _, _, f in _registre[page]):
        return
    _registre[page].append((ordre, len(_registre[page]), fournisseur))
    _registre[page].sort(key=lambda entree: entree[:2])


def section_retirer(page: str, fournisseur: Fournisseur) -> None:
    """Unregister (for tests)."""
    _registre[page] = [entree for entree in _registre.get(page, []) if entree[2] is not fournisseur]


def sections_rendre(page: str, objet, request) -> list[SectionRendue]:
    """The sections the registered apps give for `objet`, rendered with their templates, in order."""
    rendues = []
    for _, _, fournisseur in _registre[page]:
        section = fournisseur(objet, request)
        if section is not None:
            rendues.append(section_rendre(section, request, rang=len(rendues)))
    return rendues


def section_rendre(section: Section, request, *, rang: int = 0) -> SectionRendue:
    """One section rendered with its template (also for a page that builds a section itself)."""
    html = render_to_string(section.template, section.contexte, request=request)
    return SectionRendue(section.titre, f"section-{slugify(section.titre)[:50] or rang}", html)
