#!/usr/bin/env bash
# Side-by-side timing of one conflict-detection picture: BlueSky 1.1.1 vs our CLI.
#
# What is measured, alternating BlueSky / ours REPEATS times on the same file
# (gen_traffic.py seed 42, N aircraft; 5 NM / hpz 999 ft / 300 s):
#   BlueSky: the CStateBased detect() call alone, as cd_bench.py prints it
#            (detect_s_median of --repeat 1); start-up and traffic creation excluded.
#   ours:    the whole `deconflict detect` process (reading, parsing, detection,
#            writing JSON lines), wall and user+sys CPU from /usr/bin/time; also the
#            detection time detect itself prints on stderr, for reference.
# Prints medians, the ratio BlueSky detect / our whole-process wall, and both pair
# counts (BlueSky's directed pairs halved).
#
# Usage: scripts/bench/detect_vs_bluesky.sh [BIN] [N] [REPEATS]
#   defaults: .build/release/deconflict 10000 5
# Needs: python3 -m venv /tmp/bluesky-venv && /tmp/bluesky-venv/bin/pip install bluesky-simulator==1.1.1
# Env: BLUESKY_PY (default /tmp/bluesky-venv/bin/python), SHARED (default REPO/../shared).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$REPO/.build/release/deconflict}
N=${2:-10000}
REPEATS=${3:-5}
SHARED=$(cd "${SHARED:-$REPO/../shared}" && pwd)
BLUESKY_PY=${BLUESKY_PY:-/tmp/bluesky-venv/bin/python}
PEER=$SHARED/peers/bluesky
FILE=/tmp/traffic_$N.csv
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }
[ -x "$BLUESKY_PY" ] || { echo "no BlueSky venv python at $BLUESKY_PY" >&2; exit 1; }
[ -f "$FILE" ] || python3 "$PEER/gen_traffic.py" -n "$N" --seed 42 -o "$FILE"

for i in $(seq 1 "$REPEATS"); do
  "$BLUESKY_PY" "$PEER/cd_bench.py" "$FILE" --method cstatebased --hpz-ft 999 \
      --repeat 1 --pairs none 2>/dev/null | tail -1 > "$TMP/bs_$i.json"
  /usr/bin/time -f "%e %U %S" -o "$TMP/ours_$i.time" \
      "$BIN" detect -i "$FILE" --hpz-ft 999 --format jsonl > /tmp/ours.jsonl 2> "$TMP/ours_$i.err"
  echo "$(wc -l < /tmp/ours.jsonl) $(grep -c '"los":true' /tmp/ours.jsonl)" > "$TMP/ours_$i.pairs"
  echo "run $i: BlueSky detect $(python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["detect_s_median"])' < "$TMP/bs_$i.json") s," \
       "ours wall/user/sys $(cat "$TMP/ours_$i.time") s" >&2
done

python3 - "$TMP" "$REPEATS" "$N" "$BIN" <<'EOF'
import json, re, statistics as st, sys
tmp, reps, n, binary = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
bs = [json.load(open(f"{tmp}/bs_{i}.json"))["summary"] for i in range(1, reps + 1)]
tm = [list(map(float, open(f"{tmp}/ours_{i}.time").read().split()[-3:])) for i in range(1, reps + 1)]
pairs = {tuple(map(int, open(f"{tmp}/ours_{i}.pairs").read().split())) for i in range(1, reps + 1)}
bs_det = st.median(s["detect_s_median"] for s in bs)
wall = st.median(t[0] for t in tm)
cpu = st.median(t[1] + t[2] for t in tm)
# detect's own stderr summary "... detect X ms": its detection cycle without file reading
ours_det = st.median(float(re.search(r"detect ([0-9.]+) ms", open(f"{tmp}/ours_{i}.err").read())[1])
                     for i in range(1, reps + 1))
out = {
    "file": f"/tmp/traffic_{n}.csv", "n": int(n), "repeats": reps, "bin": binary,
    "bluesky_detect_s_median": round(bs_det, 4),
    "bluesky_detect_s_all": [s["detect_s_median"] for s in bs],
    "ours_wall_s_median": round(wall, 3), "ours_cpu_s_median": round(cpu, 3),
    "ours_wall_s_all": [t[0] for t in tm],
    "ours_detect_ms_median (detect's stderr)": ours_det,
    "ratio_bluesky_detect_over_ours_wall": round(bs_det / wall, 1),
    "bluesky_pairs_unordered": sorted({s["confpairs_directed"] // 2 for s in bs}),
    "bluesky_los_unordered": sorted({s["lospairs_directed"] // 2 for s in bs}),
    "ours_pairs": sorted(p for p, _ in pairs), "ours_los": sorted(l for _, l in pairs),
}
for k, v in out.items():
    print(f"{k}: {json.dumps(v)}")
EOF
