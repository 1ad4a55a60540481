"""What the sub-domains above applications add to the company's application page (registered in
AidesConfig.ready(): applications never import conventions)."""

from collections.abc import Callable

_CONTEXTES: list[Callable] = []


def contexte_demande_enregistrer(fonction: Callable) -> None:
    """`fonction(request, demande) -> dict` adds variables to the company's application page."""
    if fonction not in _CONTEXTES:
        _CONTEXTES.append(fonction)


def contexte_demande(request, demande) -> dict:
    contexte = {}
    for fonction in _CONTEXTES:
        contexte.update(fonction(request, demande))
    return contexte
