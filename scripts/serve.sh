#!/usr/bin/env bash
# Serve the HMIS on 127.0.0.1:8000 with one Celery worker running beat beside it.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export HTTPS="${HTTPS:-false}"

.venv/bin/celery -A hmis worker --beat --concurrency 1 --loglevel INFO \
  --schedule var/celerybeat-schedule &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

echo "HMIS on http://127.0.0.1:8000/  (worker pid $worker; Ctrl-C stops both)"
$PY manage.py runserver 127.0.0.1:8000 --noreload
