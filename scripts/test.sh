#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages, Python packages, a throwaway
# PostgreSQL cluster and Redis, then lint, type check and pytest (unit, integration, e2e).
# Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/_env.sh"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v redis-server >/dev/null || need_apt+=(redis-server)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql-15)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "== apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "== pip install -r requirements-dev.txt"
ensure_venv requirements-dev.txt

source scripts/_services.sh
start_services

echo "== ruff"
ruff check .
ruff format --check .
echo "== pyright"
pyright

echo "== pytest"
python -m pytest "$@"
