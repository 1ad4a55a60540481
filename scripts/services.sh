#!/usr/bin/env bash
# Start PostgreSQL and Redis when they are installed but not running; name the package when missing.
set -euo pipefail

if ! command -v pg_isready >/dev/null 2>&1; then
    echo "PostgreSQL est introuvable : installez le paquet « postgresql » (apt-get install postgresql)." >&2
    exit 1
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "Démarrage de PostgreSQL…"
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        for version in $(ls /etc/postgresql); do
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        done
    else
        service postgresql start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL ne répond pas sur 127.0.0.1:5432." >&2; exit 1; }
fi

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    echo "Redis est introuvable : installez le paquet « redis-server » (apt-get install redis-server)." >&2
    exit 1
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "Démarrage de Redis…"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
        --dir "${TMPDIR:-/tmp}" --logfile "${TMPDIR:-/tmp}/redis-portail.log"
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "Redis ne répond pas sur 127.0.0.1:6379." >&2; exit 1; }
fi
