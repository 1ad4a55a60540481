# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test services chromium base demo lint bench

# Runtime packages only (requirements.txt): what `make run` needs.
$(BIN)/.installe-run: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis (paquet python3)." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# The test tools on top (pytest, Playwright, axe, ruff…: requirements-dev.txt), for `make test` only.
$(BIN)/.installe-test: $(BIN)/.installe-run requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installe-run

install-test: $(BIN)/.installe-test

services:
	@scripts/services.sh

chromium:
	@scripts/chromium.sh

# The database exists, is migrated and holds the region's territories.
base: install services
	DEBUG=1 $(BIN)/python scripts/creer_base.py
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py charger_territoires

# (Re)loads the demo data (idempotent: existing demo rows are kept, missing ones created).
demo: base
	DEBUG=1 $(BIN)/python manage.py demo

# Development server: web on http://127.0.0.1:8000, a Celery worker and Celery beat; Ctrl-C stops all.
run: demo
	DEBUG=1 scripts/run.sh

# The whole suite, on the real PostgreSQL, Redis, a Celery worker and Chromium.
test: install-test services chromium
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The benchmarks each create their own database and take minutes: they are run one by one.
bench:
	@echo "Les mesures de performance se lancent une par une ; chacune crée sa propre base."
	@echo "Options de chaque script : .venv/bin/python bench/<script>.py --help"
	@for f in bench/*.py bench/*.sh; do echo "  $$f"; done
	@echo "Commandes exactes, machine et résultats : bench/README.md"
