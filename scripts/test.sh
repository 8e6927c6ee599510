#!/usr/bin/env bash
# Runs every test: the pure core package, then the root package (adapters, CLI), with the
# store suite against a REAL PostgreSQL as well as SQLite.
#
#   scripts/test.sh                      # all suites (core, root, browser)
#   scripts/test.sh --filter StoreTests  # extra arguments go to the root package's `swift test`
#
# If DECONFLICT_PG_URL is set, that server is used. Otherwise PostgreSQL (Debian's package) is
# installed if missing, a throwaway cluster is started in a temp dir on 127.0.0.1 (free port),
# PGHOST/PGPORT/PGUSER/PGDATABASE are exported, and the cluster is stopped and deleted on exit.
# Add suites in run_tests().
set -euo pipefail
cd "$(dirname "$0")/.."

PGTMP=""
PGBIN=""

log() { printf '== %s\n' "$*" >&2; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_postgres() {
    # initdb/postgres refuse to run as root: drop to the postgres user when we are root.
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_postgres() {
    if [ -n "$PGTMP" ] && [ -d "$PGTMP" ]; then
        log "stopping PostgreSQL ($PGTMP)"
        as_postgres "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PGTMP"
    fi
}

start_postgres() {
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        log "installing PostgreSQL (Debian package)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    PGTMP=$(mktemp -d /tmp/deconflict-pg.XXXXXX)
    trap stop_postgres EXIT INT TERM
    if [ "$(id -u)" = 0 ]; then chown postgres "$PGTMP"; fi
    local port
    port=$(free_port)
    as_postgres "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust --no-sync >/dev/null
    # TLS on (plain still allowed, as the rest of the suite connects plainly), with a
    # certificate made here; the role tlsonly may connect only over TLS (PostgresTLSTests).
    bash scripts/tls/make_certs.sh "$PGTMP/tls"
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$PGTMP/tls"; fi
    { echo "hostnossl all tlsonly 127.0.0.1/32 reject"; cat "$PGTMP/data/pg_hba.conf"; } > "$PGTMP/hba"
    as_postgres cp "$PGTMP/hba" "$PGTMP/data/pg_hba.conf"
    as_postgres "$PGBIN/pg_ctl" -D "$PGTMP/data" -w -l "$PGTMP/log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PGTMP -c max_connections=300 -c shared_buffers=256MB -c ssl=on -c ssl_cert_file=$PGTMP/tls/server.pem -c ssl_key_file=$PGTMP/tls/server.key" \
        start >/dev/null || { cat "$PGTMP/log" >&2; exit 1; }
    as_postgres "$PGBIN/psql" -h "$PGTMP" -p "$port" -U postgres -qc "CREATE ROLE tlsonly LOGIN SUPERUSER" postgres >/dev/null
    export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres
    export DECONFLICT_PG_TLS_CA=$PGTMP/tls/ca.pem DECONFLICT_PG_TLS_OTHER_CA=$PGTMP/tls/other-ca.pem DECONFLICT_PG_TLS_ROLE=tlsonly
    log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

run_tests() {
    # Add further suites here.
    log "core: swift test (Core/)"
    (cd Core && swift test --disable-xctest)
    log "root: swift test (store on SQLite + PostgreSQL, CLI, server)"
    # Every HTTP response and stream message the tests see is recorded for the contract check.
    CONTRACT_LOG=$(mktemp -d /tmp/deconflict-contract.XXXXXX)
    DECONFLICT_CONTRACT_LOG=$CONTRACT_LOG swift test --disable-xctest "$@"
    if [ $# -eq 0 ]; then
        swift build --product deconflict
        # The contract, checked by tools we did not write (installed into /tmp/venv-contract
        # and from Debian when missing): openapi-schema-validator on everything the tests saw,
        # its own self-test on deliberately broken responses, schemathesis against a live
        # serve with two parties' tokens, promtool on /metrics.
        # The contract tools' venv, made here: a system Python that already has the validator
        # (some machines do) would otherwise never create it, and the steps below need it.
        if [ ! -x /tmp/venv-contract/bin/python ]; then
            python3 -m venv /tmp/venv-contract
            /tmp/venv-contract/bin/python -m pip install -q openapi-schema-validator schemathesis pytest
        fi
        log "contract: $(wc -l < "$CONTRACT_LOG/exchanges.jsonl") recorded exchanges against docs/openapi.yaml"
        /tmp/venv-contract/bin/python scripts/contract/validate_exchanges.py docs/openapi.yaml "$CONTRACT_LOG"
        log "contract: the validator catches broken responses"
        /tmp/venv-contract/bin/python -m pytest -q scripts/contract/test_validate_exchanges.py
        log "contract: schemathesis against a live serve"
        # Left out, with the reason in docs/server.md: 405 for wrong methods (the router answers 404),
        # and positive_data_acceptance (report times near now, end after start: not expressible).
        ST_EXTRA="--exclude-checks unsupported_method,positive_data_acceptance ${ST_EXTRA:-}" \
            bash scripts/contract/schemathesis.sh .build/debug/deconflict "${SCHEMATHESIS_SECONDS:-30}"
        log "contract: promtool check metrics"
        bash scripts/contract/metrics_lint.sh .build/debug/deconflict
        # The ledger verified by Go's golang.org/x/mod/sumdb/tlog and note (Debian's packages).
        log "ledger: the served log and its export verified by Go's sumdb/tlog"
        bash scripts/ledger/interop.sh .build/debug/deconflict
        # The display in a real headless Chromium against the real binary (installs Debian's
        # chromium and a venv with Playwright when missing; screenshots in $ARTIFACTS_DIR).
        log "browser: the situational display (Tests/browser)"
        bash scripts/browser_tests.sh
    fi
}

main() {
    if [ -n "${DECONFLICT_PG_URL:-}" ]; then
        log "using PostgreSQL from DECONFLICT_PG_URL"
    else
        start_postgres
    fi
    # A missing PostgreSQL must fail the run, not silently skip its half of the suite.
    export DECONFLICT_REQUIRE_PG=1
    run_tests "$@"
}

main "$@"
