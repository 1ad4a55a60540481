"""The Makefile: every listed target exists; `make run` installs the runtime only."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make absent")


def commandes(cible: str) -> str:
    """What `make` would run for this target, from scratch (-B: every stamp out of date)."""
    resultat = subprocess.run(
        ["make", "-n", "-B", cible], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    return resultat.stdout


def test_every_phony_target_is_defined():
    texte = (settings.BASE_DIR / "Makefile").read_text()
    phony = re.search(r"^\.PHONY:(.*)$", texte, re.M).group(1).split()
    definies = set(re.findall(r"^([\w-]+):", texte, re.M))
    assert {"run", "test", "demo", "bench"} <= set(phony)
    assert set(phony) <= definies


def test_make_run_installs_the_runtime_but_not_the_test_tools():
    sortie = commandes("run")
    assert "pip install --quiet -r requirements.txt" in sortie
    assert "requirements-dev.txt" not in sortie
    assert "manage.py demo" in sortie


def test_make_test_installs_the_test_tools():
    assert "pip install --quiet -r requirements-dev.txt" in commandes("test")


def test_make_demo_reloads_the_demo_data():
    sortie = commandes("demo")
    assert "manage.py migrate" in sortie
    assert "manage.py demo" in sortie
    assert "scripts/run.sh" not in sortie


def test_make_bench_tells_how_to_run_each_benchmark():
    sortie = subprocess.run(["make", "bench"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True).stdout
    assert "bench/catalogue.py" in sortie
    assert "bench/README.md" in sortie
