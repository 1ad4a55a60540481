"""Markdown written by staff, rendered to HTML that cannot run anything."""

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


def markdown_en_html(texte: str) -> SafeString:
    """Markdown → sanitised HTML: no script, no event handler, links only http(s) and mailto."""
    html = markdown.markdown(texte or "", extensions=["tables", "sane_lists"])
    propre = nh3.clean(
        html,
        tags=BALISES,
        attributes={"a": {"href", "title"}, "th": {"scope"}, "td": set()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(propre)  # noqa: S308 - sanitised by nh3 just above
