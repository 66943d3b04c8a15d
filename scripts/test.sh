#!/usr/bin/env bash
# The whole test suite, from a fresh machine: system packages, Python packages, a throwaway
# PostgreSQL cluster and Redis, then lint, type check and pytest (unit, integration, e2e).
# Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/_env.sh"

PG_BIN=/usr/lib/postgresql/15/bin
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v redis-server >/dev/null || need_apt+=(redis-server)
[ -x "$PG_BIN/initdb" ] || need_apt+=(postgresql-15)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "== apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "== pip install -r requirements-dev.txt"
ensure_venv requirements-dev.txt

WORK="$(mktemp -d /tmp/nfp-test.XXXXXX)"
chmod 755 "$WORK"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PG_PORT="$(free_port)"
REDIS_PORT="$(free_port)"
cleanup() {
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== PostgreSQL 15 on 127.0.0.1:$PG_PORT (throwaway)"
# initdb refuses to run as root, so the cluster belongs to the postgres user.
mkdir "$WORK/pg" && chown postgres "$WORK/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -A trust -U postgres --no-sync >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w \
    -o "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start >/dev/null
export TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"

echo "== Redis on 127.0.0.1:$REDIS_PORT (throwaway)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$WORK/redis.pid" --dir "$WORK" >/dev/null
export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

echo "== ruff"
ruff check .
ruff format --check .
echo "== pyright"
pyright

echo "== pytest"
python -m pytest "$@"
