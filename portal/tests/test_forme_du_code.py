"""The code's shape (issue 12): modules and views stay small, imports sit at the top of modules
unless a comment says why a function imports late."""

import ast
from pathlib import Path

from django.conf import settings

RACINE = Path(settings.BASE_DIR)
EXCLUS = {".venv", "tests", "migrations", "bench", "scripts", "node_modules", "var"}


def modules_du_produit():
    for chemin in sorted(RACINE.rglob("*.py")):
        relatif = chemin.relative_to(RACINE)
        if EXCLUS & set(relatif.parts) or relatif.name in ("conftest.py", "manage.py"):
            continue
        yield relatif, chemin.read_text()


def test_no_module_of_the_product_is_over_400_lines():
    trop_longs = [f"{chemin}: {len(texte.splitlines())}" for chemin, texte in modules_du_produit()
                  if len(texte.splitlines()) > 400]  # fmt: skip
    assert trop_longs == []


def test_no_view_is_over_50_lines():
    trop_longues = []
    for chemin, texte in modules_du_produit():
        if "views" not in chemin.parts and not chemin.name.startswith("views"):
            continue
        for noeud in ast.walk(ast.parse(texte)):
            if isinstance(noeud, ast.FunctionDef) and noeud.end_lineno - noeud.lineno + 1 > 50:
                trop_longues.append(f"{chemin}:{noeud.lineno} {noeud.name}")
    assert trop_longues == []


def _explique(lignes: list[str], numero: int) -> bool:
    """A comment on the import's line, or above the block of imports it belongs to."""
    if "#" in lignes[numero - 1]:
        return True
    i = numero - 2
    while i >= 0 and (lignes[i].strip() == "" or lignes[i].lstrip().startswith(("from ", "import "))):
        i -= 1
    return i >= 0 and lignes[i].lstrip().startswith("#")


def test_functions_import_late_only_with_a_comment_saying_why():
    """`ready()` is Django's place for late imports; anywhere else a comment gives the reason."""
    sans_raison = []
    for chemin, texte in modules_du_produit():
        lignes = texte.splitlines()
        for fonction in ast.walk(ast.parse(texte)):
            if not isinstance(fonction, (ast.FunctionDef, ast.AsyncFunctionDef)) or fonction.name == "ready":
                continue
            for noeud in ast.walk(fonction):
                if isinstance(noeud, (ast.Import, ast.ImportFrom)) and not _explique(lignes, noeud.lineno):
                    sans_raison.append(f"{chemin}:{noeud.lineno}")
    assert sans_raison == []
