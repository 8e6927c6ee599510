#!/usr/bin/env python3
"""Replay a recorded traffic CSV through BlueSky 1.1.1's CStateBased detector, step by
step, with the semantics of `deconflict scan` (the peer for scan_vs_bluesky.sh).

Run with the BlueSky venv's python (/tmp/bluesky-venv/bin/python).

Input: time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm, sorted by time; rows with an
empty field are left out (as `scan` does). Steps fall on multiples of --step-s (the
core's Replay): a step at t sees every row with time <= t, the last step is the first at
or after the last row, and while nothing is in the air the steps jump to the next row. The picture at t: each
aircraft's latest state at or before t, at most --max-age-s old, projected to t by
the same flat-earth dead reckoning `scan` uses (lat += vn*dt/R, lon += ve*dt/(R cos lat),
alt += vs*dt; R = 6,371 km, 1 kt = 1852/3600 m/s). That projection is done here, not by
BlueSky's integrator.

BlueSky is started and its traffic arrays filled by cd_bench.py's own init_bluesky()
and create_traffic() (imported from shared/peers/bluesky), and each step times exactly
    bs.traf.cd.detect(bs.traf, bs.traf, cd.rpz, cd.hpz, cd.dtlookahead)
with CStateBased selected (5 NM, hpz 999 ft, 300 s by default).

Prints one JSON summary on stdout: steps, total unordered pairs summed over steps,
distinct pairs, LoS pair-steps, time in the detect calls alone, BlueSky start-up, total wall.
--pairs FILE also writes one JSON line per step with pairs: {"t", "n", "pairs": [[a, b], ...]}.
"""
import argparse
import contextlib
import csv
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

R = 6_371_000.0
KT = 1852.0 / 3600.0
FT = 0.3048
COLS = ("lat", "lon", "alt_ft", "gs_kt", "trk_deg", "vs_fpm")


def project(s, dt):
    """(lat, lon, alt_ft, gs_kt, trk_deg, vs_fpm) moved along its velocity by dt s."""
    lat, lon, alt, gs, trk, vs = s
    if dt == 0:
        return s
    v = gs * KT
    ve, vn = v * math.sin(math.radians(trk)), v * math.cos(math.radians(trk))
    c = max(math.cos(math.radians(lat)), 1e-9)
    lon2 = (lon + math.degrees(ve * dt / (R * c)) + 180.0) % 360.0 - 180.0
    return (lat + math.degrees(vn * dt / R), lon2, alt + vs * dt / 60.0, gs, trk, vs)


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("--step-s", type=float, default=10.0)
    ap.add_argument("--max-age-s", type=float, default=10.0)
    ap.add_argument("--rpz-nm", type=float, default=5.0)
    ap.add_argument("--hpz-ft", type=float, default=999.0)
    ap.add_argument("--dtlook", type=float, default=300.0)
    ap.add_argument("--peer", default=os.environ.get(
        "BLUESKY_PEER", str(here.parents[2] / "shared/peers/bluesky")),
        help="folder with cd_bench.py (default REPO/../shared/peers/bluesky)")
    ap.add_argument("--workdir", default=os.environ.get("BLUESKY_WORKDIR", "/tmp/bluesky-work"))
    ap.add_argument("--pairs", help="write per-step pairs as JSON lines to this file")
    a = ap.parse_args()

    wall0 = time.perf_counter()
    sys.path.insert(0, a.peer)
    import cd_bench  # the peer harness: init_bluesky(), create_traffic()
    bs = cd_bench.init_bluesky("compiled", a.rpz_nm, a.hpz_ft, a.dtlook, Path(a.workdir))
    init_s = time.perf_counter() - wall0
    from bluesky.traffic.asas import statebased
    statebased.CStateBased.select()
    cd = bs.traf.cd
    assert cd._selected() is statebased.CStateBased

    out = open(a.pairs, "w") if a.pairs else None
    latest = {}                        # id -> (time, (lat, lon, alt_ft, gs_kt, trk_deg, vs_fpm))
    st = dict(steps=0, pair_steps=0, los_pair_steps=0, detect_s=0.0, max_aircraft=0)
    distinct = set()

    def detect(t):
        pic = [(i, project(s, t - ts)) for i, (ts, s) in latest.items()
               if ts <= t and t - ts <= a.max_age_s]
        st["steps"] += 1
        st["max_aircraft"] = max(st["max_aircraft"], len(pic))
        if bs.traf.ntraf:
            bs.traf.delete(list(range(bs.traf.ntraf)))
        pairs, los = set(), set()
        if pic:
            ids = [i.upper() for i, _ in pic]
            cols = {k: np.array([s[j] for _, s in pic]) for j, k in enumerate(COLS)}
            with contextlib.redirect_stdout(sys.stderr):
                cd_bench.create_traffic(bs, ids, cols)
            t0 = time.perf_counter()
            res = cd.detect(bs.traf, bs.traf, cd.rpz, cd.hpz, cd.dtlookahead)
            st["detect_s"] += time.perf_counter() - t0
            pairs = {tuple(sorted(p)) for p in res[0]}   # BlueSky lists (a,b) and (b,a)
            los = {tuple(sorted(p)) for p in res[1]}
        st["pair_steps"] += len(pairs)
        st["los_pair_steps"] += len(los)
        distinct.update(pairs)
        if out:
            out.write(json.dumps({"t": t, "n": len(pic), "pairs": sorted(pairs)}) + "\n")

    rows = incomplete = 0
    last = -math.inf
    data = []
    with open(a.input, newline="") as f:
        for r in csv.DictReader(f):
            if any(r[k] == "" for k in COLS) or r["time_s"] == "":
                incomplete += 1
                continue
            ts = float(r["time_s"])
            if ts < last:
                sys.exit(f"{a.input}: time {ts} goes back before {last}: must be sorted by time")
            rows, last = rows + 1, ts
            data.append((ts, r["id"], tuple(float(r[k]) for k in COLS)))
    # The stepping of the core's Replay: steps at multiples of --step-s from the first row's,
    # every row seen by a step (the last step is the first at or after the last row), stale
    # states dropped after each step, and a jump to the next row while nothing is in the air.
    k = 0
    if data:
        t = math.floor(data[0][0] / a.step_s) * a.step_s
        while True:
            while k < len(data) and data[k][0] <= t:
                ts, ident, cols = data[k]
                old = latest.get(ident)
                if old is None or old[0] <= ts:
                    latest[ident] = (ts, cols)
                k += 1
            detect(t)
            if k == len(data):
                break
            for ident in [i for i, (ts, _) in latest.items() if ts < t - a.max_age_s]:
                del latest[ident]
            t = max(t + a.step_s, math.floor(data[k][0] / a.step_s) * a.step_s) if not latest else t + a.step_s
    if out:
        out.close()

    print(json.dumps({"bluesky_scan": {
        "input": a.input, "rows": rows, "incomplete_rows": incomplete,
        "step_s": a.step_s, "max_age_s": a.max_age_s, "rpz_nm": a.rpz_nm,
        "hpz_ft": a.hpz_ft, "dtlook_s": a.dtlook, "method": "CStateBased",
        "steps": st["steps"], "max_aircraft": st["max_aircraft"],
        "pairs_total": st["pair_steps"], "los_pairs_total": st["los_pair_steps"],
        "pairs_distinct": len(distinct),
        "detect_s": round(st["detect_s"], 4), "init_s": round(init_s, 3),
        "wall_s": round(time.perf_counter() - wall0, 3)}}))


if __name__ == "__main__":
    main()
