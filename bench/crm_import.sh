#!/usr/bin/env bash
# Import benchmark of the CRM: 600,000 region establishments in INSEE's SIRENE stock format.
# Usage (from the repo root): bench/crm_import.sh [ETABLISSEMENTS]   (default 600000)
# Uses its own database portail_crm_bench (created, migrated, territories loaded); drop it afterwards:
#   psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE portail_crm_bench'
set -euo pipefail
N="${1:-600000}"
export DEBUG=1 DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portail_crm_bench}"
DOSSIER="${BENCH_DOSSIER:-/tmp/sirene-bench-$N}"
PY=.venv/bin/python
$PY scripts/creer_base.py
$PY manage.py migrate -v0
$PY manage.py charger_territoires >/dev/null
if [ ! -f "$DOSSIER/StockEtablissement_utf8.csv" ]; then
  echo "Génération de $N établissements dans $DOSSIER…"
  /usr/bin/time -f "génération : %e s, RSS max %M Ko" $PY manage.py generer_sirene --etablissements "$N" --sortie "$DOSSIER"
fi
ls -la "$DOSSIER"
echo "--- Premier import (base vide)"
/usr/bin/time -v $PY manage.py importer_sirene --unites-legales "$DOSSIER/StockUniteLegale_utf8.csv" \
  --etablissements "$DOSSIER/StockEtablissement_utf8.csv" 2> /tmp/crm_import_time1.txt
grep -E "Elapsed|Maximum resident" /tmp/crm_import_time1.txt
echo "--- Second import (mêmes fichiers : rien à créer)"
/usr/bin/time -v $PY manage.py importer_sirene --unites-legales "$DOSSIER/StockUniteLegale_utf8.csv" \
  --etablissements "$DOSSIER/StockEtablissement_utf8.csv" 2> /tmp/crm_import_time2.txt
grep -E "Elapsed|Maximum resident" /tmp/crm_import_time2.txt
