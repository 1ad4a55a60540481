"""Markdown written by staff, rendered to HTML that cannot run anything."""

import threading

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

BALISES = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}


_local = threading.local()


def _convertisseur() -> markdown.Markdown:
    """This thread's Markdown converter: building one (its parser, its extensions) costs about half
    of converting a description (profile of the API, #15), and a converter is not safe to share
    between threads."""
    if (convertisseur := getattr(_local, "convertisseur", None)) is None:
        convertisseur = _local.convertisseur = markdown.Markdown(extensions=["tables", "sane_lists"])
    return convertisseur


def markdown_en_html(texte: str) -> SafeString:
    """Markdown → sanitised HTML: no script, no event handler, links only http(s) and mailto."""
    html = _convertisseur().reset().convert(texte or "")
    propre = nh3.clean(
        html,
        tags=BALISES,
        attributes={"a": {"href", "title"}, "th": {"scope"}, "td": set()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(propre)  # noqa: S308 - sanitised by nh3 just above
