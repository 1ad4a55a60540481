#!/usr/bin/env bash
# Browser tests drive Debian's Chromium: install it when it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Chromium est introuvable : installez le paquet « chromium » (apt-get install chromium)." >&2
    exit 1
fi
echo "Installation de Chromium (paquet Debian « chromium »)…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
