# Throwaway PostgreSQL cluster and Redis for the tests; sourced by scripts/test.sh.
# `start_services` exports TEST_POSTGRES_URL and TEST_REDIS_URL and stops both on exit.
# shellcheck shell=bash

# The newest installed PostgreSQL server: Debian ships one major version per release
# (bookworm 15, trixie 17), so the version is whatever apt installed.
_newest_pg_bin() {
    local found
    found="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$found" ] && dirname "$found"
}

_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

_stop_services() {
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg" -m immediate stop >/dev/null 2>&1 || true
    if [ -f "$SERVICES_DIR/redis.pid" ]; then kill "$(cat "$SERVICES_DIR/redis.pid")" 2>/dev/null || true; fi
    rm -rf "$SERVICES_DIR"
}

start_services() {
    if ! PG_BIN="$(_newest_pg_bin)"; then
        echo "no PostgreSQL server in /usr/lib/postgresql/*/bin: apt-get install postgresql" >&2
        return 1
    fi
    SERVICES_DIR="$(mktemp -d /tmp/nfp-services.XXXXXX)"
    chmod 755 "$SERVICES_DIR"
    trap _stop_services EXIT
    local pg_port redis_port
    pg_port="$(_free_port)"
    redis_port="$(_free_port)"
    echo "== PostgreSQL $(basename "$(dirname "$PG_BIN")") on 127.0.0.1:$pg_port (throwaway)"
    # initdb refuses to run as root, so the cluster belongs to the postgres user. UTF8 whatever
    # the machine's locale: a bare image has none, and initdb would pick SQL_ASCII, in which
    # psycopg2 cannot send a non-ASCII username.
    mkdir "$SERVICES_DIR/pg" "$SERVICES_DIR/sock" && chown postgres "$SERVICES_DIR/pg" "$SERVICES_DIR/sock"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$SERVICES_DIR/pg" -A trust -U postgres --no-sync \
        --encoding=UTF8 --no-locale >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg" -l "$SERVICES_DIR/pg/server.log" -w \
        -o "-p $pg_port -k $SERVICES_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
        start >/dev/null
    export TEST_POSTGRES_URL="postgresql+psycopg2://postgres@127.0.0.1:$pg_port/postgres"
    echo "== Redis on 127.0.0.1:$redis_port (throwaway)"
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
        --daemonize yes --pidfile "$SERVICES_DIR/redis.pid" --dir "$SERVICES_DIR" >/dev/null
    export TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
}
