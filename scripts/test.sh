#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages, Python packages, a throwaway
# PostgreSQL cluster and Redis, then lint, type check and pytest (unit, integration, e2e).
# Extra arguments go to pytest. Runs as root (apt-get, and the cluster runs as `postgres`).
set -euo pipefail
source "$(dirname "$0")/_env.sh"
source scripts/_services.sh

# What a bare Debian image lacks; apt is called only when something is missing.
need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
# Debian ships `venv` without ensurepip unless python3-venv is installed.
[ -x .venv/bin/python ] || python3 -c 'import ensurepip' 2>/dev/null || need_apt+=(python3-venv)
command -v curl >/dev/null || need_apt+=(curl)  # the README's curl command is a test
[ -x "${E2E_CHROMIUM:-/usr/bin/chromium}" ] || need_apt+=(chromium)
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)  # `nginx -t` test
command -v openssl >/dev/null || need_apt+=(openssl)  # the TLS certificate of the nginx test
command -v systemd-analyze >/dev/null || need_apt+=(systemd)  # verifies the example unit
# Whatever major version this Debian release ships; _services.sh runs the newest installed.
_newest_pg_bin >/dev/null || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "== apt-get install ${need_apt[*]}"
    apt_log="$(mktemp /tmp/nfp-apt.XXXXXX)"
    # Quiet when it works; the whole output when it does not.
    if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}"; } \
        >"$apt_log" 2>&1; then
        cat "$apt_log" >&2
        echo "apt-get install ${need_apt[*]} failed (output above)" >&2
        exit 1
    fi
    rm -f "$apt_log"
fi

echo "== pip install -r requirements-dev.txt"
ensure_venv requirements-dev.txt

echo "== Chromium with Playwright"
python scripts/check_chromium.py

start_services

# A run must leave the checkout as it found it (docs/testing.md).
checkout_state() { if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then git status --porcelain; fi; }
before="$(checkout_state)"

echo "== ruff"
ruff check .
ruff format --check .
echo "== pyright"
pyright

echo "== pytest"
# In CI every test runs: a skipped test fails the run (tests/support/forbid_skips.py).
export NFP_FORBID_SKIPS=1
status=0
python -m pytest "$@" || status=$?

after="$(checkout_state)"
if [ "$after" != "$before" ]; then
    echo "the run changed the checkout (git status --porcelain before, then after):" >&2
    diff <(echo "$before") <(echo "$after") >&2 || true
    exit 1
fi
exit "$status"
