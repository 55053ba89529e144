# Sourced: starts and stops a throwaway PostgreSQL 15 cluster on a private unix socket and
# exports CPC_TEST_PG_URL for the database tests. Runs the server as the postgres user when
# invoked as root, since PostgreSQL refuses to run as root.
pg_fixture_start() {
    local bindir
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bindir" ]; then
        echo "pg-fixture: PostgreSQL is not installed" >&2
        return 1
    fi
    PG_FIXTURE_DIR=$(mktemp -d /tmp/cpc-pg.XXXXXX)
    chmod 755 "$PG_FIXTURE_DIR"
    mkdir -p "$PG_FIXTURE_DIR/data" "$PG_FIXTURE_DIR/sock"
    local run=()
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres:postgres "$PG_FIXTURE_DIR"
        run=(runuser -u postgres --)
    fi
    local user
    user=$([ "$(id -u)" -eq 0 ] && echo postgres || id -un)
    "${run[@]}" "$bindir/initdb" -D "$PG_FIXTURE_DIR/data" -U "$user" -A trust --no-sync >/dev/null
    PG_FIXTURE_PORT=${PG_FIXTURE_PORT:-$((50000 + RANDOM % 10000))}
    "${run[@]}" "$bindir/pg_ctl" -D "$PG_FIXTURE_DIR/data" -l "$PG_FIXTURE_DIR/log" -w -s \
        -o "-k $PG_FIXTURE_DIR/sock -p $PG_FIXTURE_PORT -c listen_addresses='' -c fsync=off" start
    PG_FIXTURE_RUN=("${run[@]}")
    PG_FIXTURE_BIN=$bindir
    export CPC_TEST_PG_URL="postgresql://$user@/postgres?host=$PG_FIXTURE_DIR/sock&port=$PG_FIXTURE_PORT"
    export CPC_TEST_PG_SOCKET="$PG_FIXTURE_DIR/sock"
    export CPC_TEST_PG_PORT="$PG_FIXTURE_PORT"
    export CPC_TEST_PG_USER="$user"
    export CPC_REQUIRE_PG=1
    echo "pg-fixture: PostgreSQL on $PG_FIXTURE_DIR/sock port $PG_FIXTURE_PORT" >&2
}

pg_fixture_stop() {
    [ -n "${PG_FIXTURE_DIR:-}" ] || return 0
    "${PG_FIXTURE_RUN[@]}" "$PG_FIXTURE_BIN/pg_ctl" -D "$PG_FIXTURE_DIR/data" -m immediate -s stop >/dev/null 2>&1 || true
    rm -rf "$PG_FIXTURE_DIR"
    PG_FIXTURE_DIR=
}
