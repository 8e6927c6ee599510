#!/usr/bin/env bash
# The served ledger verified by an implementation we did not write: Go's
# golang.org/x/mod/sumdb/tlog + sumdb/note (Debian's golang-go and golang-golang-x-mod-dev,
# installed when missing) in scripts/ledger/goverify. Against a live `serve`: the empty log,
# then ~600 entries (track batches and intent writes, across full and partial tiles) with
# their receipts, then the export as static files; a flipped byte in the export must fail.
# Usage: scripts/ledger/interop.sh [BIN]
set -euo pipefail
BIN=${1:-.build/debug/deconflict}
if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/golang.org/x/mod/sumdb/tlog ]; then
    echo "installing Debian's golang-go and golang-golang-x-mod-dev" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-golang-x-mod-dev >/dev/null
fi
DIR=$(mktemp -d /tmp/deconflict-ledger.XXXXXX)
GOV=$DIR/goverify
(cd scripts/ledger/goverify && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$DIR/gocache go build -o "$GOV" .)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BLUE=$("$BIN" party add blue --data "$DIR/data")
RED=$("$BIN" party add red --data "$DIR/data")
"$BIN" serve --data "$DIR/data" --port "$PORT" --log-level warning & PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
VKEY=$("$BIN" ledger key --data "$DIR/data")
URL=http://127.0.0.1:$PORT/v1/ledger
echo "log key: $VKEY"
"$GOV" -url "$URL" -token "$BLUE" -vkey "$VKEY"        # size 0
BLUE=$BLUE RED=$RED PORT=$PORT OUT=$DIR python3 - <<'PY'
import json, os, time, urllib.request
port, out = os.environ["PORT"], os.environ["OUT"]
def call(method, path, token, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())
now = time.time()
n = 0
for i in range(560):
    tok = os.environ["BLUE"] if i % 2 == 0 else os.environ["RED"]
    r = call("POST", "/v1/tracks", tok, {"reports": [{"aircraft": f"AC{i % 2}", "time": now - 600 + i, "lat": 50 + i * 1e-3,
                                                      "lon": 5, "alt_ft": 30000, "gs_kt": 400, "trk_deg": 90, "vs_fpm": 0}]})
    if i in (0, 255, 256, 559):
        json.dump(r, open(f"{out}/receipt-{i}.json", "w"))
t0 = int(now // 60 * 60 + 3600)
iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
for k in range(20):
    vol = {"outline": {"type": "circle", "center": [8 + k * 0.1, 47], "radius_m": 1000}, "alt_lower_ft": 0, "alt_upper_ft": 400,
           "start": iso(t0), "end": iso(t0 + 3600)}
    r = call("PUT", f"/v1/intents/i{k}", os.environ["BLUE"], {"state": "accepted", "priority": 0, "volumes": [vol]})
    json.dump(r, open(f"{out}/receipt-intent-{k}.json", "w"))
print("posted 560 track batches and 20 intents")
PY
R=(); for f in "$DIR"/receipt-*.json; do R+=(-receipt "$f"); done
"$GOV" -url "$URL" -token "$RED" -vkey "$VKEY" "${R[@]}"
"$BIN" ledger export --data "$DIR/data" "$DIR/export"
"$GOV" -dir "$DIR/export" -vkey "$VKEY" "${R[@]}"
# A flipped byte in an exported entry bundle: Go's verifier must refuse it.
python3 - "$DIR/export/tile/entries/001" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[40] ^= 1; open(sys.argv[1], "wb").write(bytes(b))
PY
if "$GOV" -dir "$DIR/export" -vkey "$VKEY" 2>"$DIR/err"; then echo "goverify accepted a tampered bundle" >&2; exit 1; fi
echo "goverify refuses the tampered export: $(cat "$DIR/err")"
