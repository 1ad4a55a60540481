# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install services chromium demo lint bench

$(BIN)/.installe: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis (paquet python3)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installe

services:
	@scripts/services.sh

chromium:
	@scripts/chromium.sh

# Development server: web on http://127.0.0.1:8000, a Celery worker and Celery beat; Ctrl-C stops all.
run: install services
	DEBUG=1 $(BIN)/python scripts/creer_base.py
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py charger_territoires
	DEBUG=1 $(BIN)/python manage.py demo
	DEBUG=1 scripts/run.sh

# The whole suite, on the real PostgreSQL, Redis, a Celery worker and Chromium.
test: install services chromium
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
