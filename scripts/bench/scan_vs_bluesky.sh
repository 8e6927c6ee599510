#!/usr/bin/env bash
# Side-by-side timing of a whole recorded replay: BlueSky 1.1.1 vs our `deconflict scan`.
#
# What is measured, alternating BlueSky / ours REPEATS times on the same recording
# (default the Paris file; 10 s steps, max age 10 s, 5 NM / hpz 999 ft / 300 s):
#   BlueSky: bluesky_scan.py (scan's semantics, BlueSky's CStateBased detect on each
#            step's picture): the time in BlueSky's detect calls alone, and that
#            script's total wall (start-up, CSV reading, projection, traffic arrays).
#   ours:    the whole `deconflict scan` process, wall and user+sys CPU (/usr/bin/time);
#            also the detection time scan itself prints on stderr, for reference.
# Prints medians, the ratio BlueSky detect-call time / our whole-process wall, and the
# counts both can give: pair-steps summed over steps (ours: sum of episode steps) and
# distinct pairs, plus a per-pair check of BlueSky's flagged steps against our episodes.
#
# Usage: scripts/bench/scan_vs_bluesky.sh [BIN] [CSV] [REPEATS]
#   defaults: .build/release/deconflict ../shared/data/quickstart_paris_2021-10-07.csv 3
# Needs the BlueSky venv (see detect_vs_bluesky.sh). Env: BLUESKY_PY, SHARED.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=$(cd "${SHARED:-$REPO/../shared}" && pwd)
BIN=${1:-$REPO/.build/release/deconflict}
CSV=${2:-$SHARED/data/quickstart_paris_2021-10-07.csv}
REPEATS=${3:-3}
BLUESKY_PY=${BLUESKY_PY:-/tmp/bluesky-venv/bin/python}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }
[ -x "$BLUESKY_PY" ] || { echo "no BlueSky venv python at $BLUESKY_PY" >&2; exit 1; }

for i in $(seq 1 "$REPEATS"); do
  BLUESKY_PEER=$SHARED/peers/bluesky "$BLUESKY_PY" "$REPO/scripts/bench/bluesky_scan.py" "$CSV" \
      --hpz-ft 999 --pairs "$TMP/bs_pairs.jsonl" 2>/dev/null > "$TMP/bs_$i.json"
  /usr/bin/time -f "%e %U %S" -o "$TMP/ours_$i.time" \
      "$BIN" scan -i "$CSV" --hpz-ft 999 --format jsonl > /tmp/ours_scan.jsonl 2> "$TMP/ours_$i.err"
  echo "run $i: BlueSky $(python3 -c 'import json,sys; d=json.load(sys.stdin)["bluesky_scan"]; print("detect", d["detect_s"], "s, script wall", d["wall_s"], "s")' < "$TMP/bs_$i.json");" \
       "ours wall/user/sys $(cat "$TMP/ours_$i.time") s" >&2
done

python3 - "$TMP" "$REPEATS" "$CSV" "$BIN" <<'EOF'
import json, re, statistics as st, sys
from collections import defaultdict
tmp, reps, csv, binary = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
bs = [json.load(open(f"{tmp}/bs_{i}.json"))["bluesky_scan"] for i in range(1, reps + 1)]
tm = [list(map(float, open(f"{tmp}/ours_{i}.time").read().split()[-3:])) for i in range(1, reps + 1)]
bs_det, bs_wall = st.median(s["detect_s"] for s in bs), st.median(s["wall_s"] for s in bs)
wall, cpu = st.median(t[0] for t in tm), st.median(t[1] + t[2] for t in tm)
# scan's own stderr summary "... detect X s, total Y s": its detection time alone
ours_det = st.median(float(re.search(r"detect ([0-9.]+) s", open(f"{tmp}/ours_{i}.err").read())[1])
                     for i in range(1, reps + 1))

# Counts (last run of each). BlueSky ids are upper case; ours as in the file.
flagged = defaultdict(list)                      # pair -> BlueSky step times flagged
for line in open(f"{tmp}/bs_pairs.jsonl"):
    d = json.loads(line)
    for a, b in d["pairs"]:
        flagged[tuple(sorted((a.lower(), b.lower())))].append(d["t"])
eps = [json.loads(l) for l in open("/tmp/ours_scan.jsonl")]
ours = {(e["a"].lower(), e["b"].lower()) for e in eps}
# Each episode must hold exactly its `steps` BlueSky flags, at its first and last time,
# and every BlueSky flag must fall in an episode of that pair.
bad, covered = 0, 0
for e in eps:
    ts = [t for t in flagged.get((e["a"].lower(), e["b"].lower()), []) if e["start"] <= t <= e["end"]]
    covered += len(ts)
    bad += not (len(ts) == e["steps"] and e["start"] in ts and e["end"] in ts)
out = {
    "file": csv, "repeats": reps, "bin": binary, "steps": sorted({s["steps"] for s in bs}),
    "bluesky_detect_s_median": round(bs_det, 4), "bluesky_detect_s_all": [s["detect_s"] for s in bs],
    "bluesky_script_wall_s_median": round(bs_wall, 2),
    "bluesky_init_s_median": round(st.median(s["init_s"] for s in bs), 2),
    "ours_wall_s_median": round(wall, 3), "ours_cpu_s_median": round(cpu, 3),
    "ours_wall_s_all": [t[0] for t in tm],
    "ours_detect_s_median (scan's stderr)": ours_det,
    "ratio_bluesky_detect_over_ours_wall": round(bs_det / wall, 3),
    "ratio_bluesky_script_wall_over_ours_wall": round(bs_wall / wall, 1),
    "bluesky_pair_steps": sorted({s["pairs_total"] for s in bs}),
    "ours_pair_steps": sum(e["steps"] for e in eps),
    "bluesky_distinct_pairs": len(flagged), "ours_distinct_pairs": len(ours),
    "pairs_only_bluesky": len(set(flagged) - ours), "pairs_only_ours": len(ours - set(flagged)),
    "episodes": len(eps), "episodes_disagreeing_with_bluesky_steps": bad,
    "bluesky_flags_outside_our_episodes": sum(map(len, flagged.values())) - covered,
}
for k, v in out.items():
    print(f"{k}: {json.dumps(v)}")
EOF
