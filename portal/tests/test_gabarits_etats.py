"""No template decides with a state written as a string: which actions a state allows comes from the
object's transition table (`actions_*` functions, the `{% actions %}` tag), and a display that depends
on a state names its constant (`demande.Statut.ACCORDEE`) or a model property."""

import re

from django.conf import settings

ETAT = r"[\w.]*?\w*(?:statut|etat|etape)\w*(?:\|\w+(?::\S+)?)*"  # demande.statut, fiche.etat|lower…
ETAT_EXACT = r"[\w.]*\b(?:statut|etat|etape)\b"
LITTERAL = r"""(?:"[^"]*"|'[^']*')"""
OPERATEUR = r"(?:==|!=|\bnot in\b|\bin\b)"
COMPARAISON = re.compile(rf"(?:{ETAT}\s*{OPERATEUR}\s*{LITTERAL}|{LITTERAL}\s*{OPERATEUR}\s*{ETAT_EXACT}(?![\w.]))")
CONDITION = re.compile(r"{%-?\s*(?:if|elif)\b(.*?)-?%}", re.S)


def comparaisons(texte: str) -> list[str]:
    return [c.group(0) for m in CONDITION.finditer(texte) for c in COMPARAISON.finditer(m.group(1))]


def test_the_scanner_finds_a_state_compared_to_a_literal_and_nothing_else():
    assert comparaisons('{% if convention.etape in "a_editer editee envoyee" %}') == [
        'convention.etape in "a_editer editee envoyee"'
    ]
    assert comparaisons("{% elif fiche.etat == 'clôturé' %}") == ["fiche.etat == 'clôturé'"]
    assert comparaisons('{% if c.get_statut_display|lower == "close" %}') == ['c.get_statut_display|lower == "close"']
    assert comparaisons('{% if "x" in demande.statut %}') == ['"x" in demande.statut']
    assert comparaisons('{% if "envoyer" in actions and demande.statut == demande.Statut.DEPOSEE %}') == []
    assert comparaisons('{% if demande.type == "solde" %}{{ demande.statut }}') == []


def test_no_template_compares_a_state_to_a_literal():
    racine = settings.BASE_DIR / "templates"
    fautifs = [
        f"{chemin.relative_to(racine)} : {comparaison}"
        for chemin in sorted(racine.rglob("*"))
        if chemin.is_file()
        for comparaison in comparaisons(chemin.read_text())
    ]
    assert fautifs == []
