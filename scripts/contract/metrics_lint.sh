#!/usr/bin/env bash
# `promtool check metrics` (Debian's prometheus package, a linter we did not write) on the
# service's /metrics after some traffic. Usage: scripts/contract/metrics_lint.sh [BIN]
set -euo pipefail
BIN=${1:-.build/debug/deconflict}
if ! command -v promtool >/dev/null; then
    echo "installing Debian's prometheus for promtool" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
DIR=$(mktemp -d /tmp/deconflict-metrics.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TOKEN=$("$BIN" party add blue --data "$DIR")
"$BIN" serve --data "$DIR" --port "$PORT" --log-level warning & PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
NOW=$(date +%s)
curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"reports\":[{\"aircraft\":\"BLU1\",\"time\":$NOW,\"lat\":52,\"lon\":4,\"alt_ft\":30000,\"gs_kt\":400,\"trk_deg\":90,\"vs_fpm\":0}]}" \
    "http://127.0.0.1:$PORT/v1/tracks"
curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/traffic"   # a 401, counted
sleep 1.2                                                   # one cycle
curl -fs "http://127.0.0.1:$PORT/metrics" > "$DIR/metrics.txt"
promtool check metrics < "$DIR/metrics.txt"
echo "promtool check metrics: clean ($(grep -c '^# TYPE' "$DIR/metrics.txt") metric families)"
