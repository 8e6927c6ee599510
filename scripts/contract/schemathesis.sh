#!/usr/bin/env bash
# Fuzzes a running deconflict server against docs/openapi.yaml with Schemathesis.
#
#   scripts/contract/schemathesis.sh BIN SECONDS [OPENAPI]
#   e.g. scripts/contract/schemathesis.sh .build/debug/deconflict 60
#
# Makes a temp data dir, registers two parties (`BIN party add`, default scopes), starts
# `BIN serve` on 127.0.0.1 (free port), waits for /health, then runs `st run OPENAPI` with
# every check (`--checks all`) for SECONDS per party token (Authorization: Bearer TOKEN),
# skipping the WebSocket GET /v1/stream. Stops the server and deletes the data dir on exit.
# Exit status: 0 if both runs pass, 1 otherwise (also when a run tested nothing). Output, reports
# (JUnit, NDJSON) and the server log stay in $REPORT_DIR (default: a new
# /tmp/schemathesis-report.XXXXXX, printed). Schemathesis comes from /tmp/venv-contract (made on
# first use: pip install openapi-schema-validator schemathesis pytest).
# Environment: ST_CHECKS (default all), ST_WORKERS (default 1), ST_EXTRA (more `st run` options,
# e.g. "--seed 1" or "--exclude-checks positive_data_acceptance").
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,16p' "$0"; exit 2; }
BIN=$(realpath "$1"); SECONDS_PER_TOKEN=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OPENAPI=$(realpath "${3:-$ROOT/docs/openapi.yaml}")
VENV=${CONTRACT_VENV:-/tmp/venv-contract}
REPORT_DIR=${REPORT_DIR:-$(mktemp -d /tmp/schemathesis-report.XXXXXX)}
log() { printf '== %s\n' "$*" >&2; }

if [ ! -x "$VENV/bin/st" ]; then
    log "installing schemathesis into $VENV"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q openapi-schema-validator schemathesis pytest
fi

DATA=$(mktemp -d /tmp/deconflict-contract.XXXXXX)
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

TOKENS=()
for party in alpha bravo; do TOKENS+=("$("$BIN" party add "$party" --data "$DATA")"); done
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$BIN" serve --data "$DATA" --port "$PORT" --host 127.0.0.1 --log-level warning \
    >"$REPORT_DIR/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do
    curl -fsS "$URL/health" >/dev/null 2>&1 && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$REPORT_DIR/server.log" >&2; exit 1; }
    sleep 0.1
done
curl -fsS "$URL/health" >/dev/null || { log "server did not answer /health"; exit 1; }
log "server $URL (pid $SERVER), schema $OPENAPI, reports in $REPORT_DIR"

status=0
cd "$REPORT_DIR"  # keeps Hypothesis' example database out of the work tree
for i in "${!TOKENS[@]}"; do
    party=$([ "$i" = 0 ] && echo alpha || echo bravo)
    log "st run as $party for ${SECONDS_PER_TOKEN}s"
    # shellcheck disable=SC2086  # ST_EXTRA is a list of options
    if ! "$VENV/bin/st" run "$OPENAPI" --url "$URL" \
        --header "Authorization: Bearer ${TOKENS[$i]}" \
        --checks "${ST_CHECKS:-all}" --exclude-path /v1/stream \
        --max-time "$SECONDS_PER_TOKEN" --workers "${ST_WORKERS:-1}" \
        --report junit,ndjson --report-dir "$REPORT_DIR/$party" \
        --no-color ${ST_EXTRA:-} 2>&1 | tee "$REPORT_DIR/$party.txt"; then status=1; fi
    # Schemathesis 4.32 spends a --max-time under ~20 s on nothing and still exits 0
    if grep -q "No test cases were generated" "$REPORT_DIR/$party.txt"; then
        log "$party: nothing was tested (give SECONDS ≥ 30)"; status=1
    fi
done
kill -0 "$SERVER" 2>/dev/null || { log "the server died: see $REPORT_DIR/server.log"; status=1; }
log "$([ $status = 0 ] && echo passed || echo FAILED); reports in $REPORT_DIR"
exit $status
