#!/usr/bin/env bash
# The fast loop while coding: lint, types and the tests that need no servers (no PostgreSQL,
# Redis or browser): about 80 s on 2 cores. scripts/test.sh runs everything; CI runs that.
# Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/_env.sh"
ensure_venv requirements-dev.txt
echo "== ruff"
ruff check .
ruff format --check .
echo "== pyright"
pyright
echo "== pytest -m 'not postgres'"
python -m pytest -m "not postgres" -q "$@"
