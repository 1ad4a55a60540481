#!/usr/bin/env bash
# Web, Celery worker and Celery beat together; Ctrl-C (or the end of any of them) stops all three.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p var

pids=()
arreter() {
    trap - INT TERM EXIT
    echo "Arrêt du serveur web, du worker et de beat…"
    kill "${pids[@]}" 2>/dev/null
    wait "${pids[@]}" 2>/dev/null
}
trap arreter INT TERM EXIT

# One worker on every queue is enough on a developer's machine (production: one worker per queue,
# see README « Production »). Beat keeps its schedule in the database (django-celery-beat).
$BIN/celery -A portal worker --loglevel=INFO --concurrency=2 -Q emails,documents,periodique \
    --max-tasks-per-child=50 & pids+=($!)
$BIN/celery -A portal beat --loglevel=INFO & pids+=($!)
$BIN/python manage.py runserver 127.0.0.1:8000 & pids+=($!)

echo "Portail sur http://127.0.0.1:8000 — Ctrl-C pour tout arrêter."
wait -n "${pids[@]}"
