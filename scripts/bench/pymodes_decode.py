"""Times pyModeS's PipeDecoder on the shared real-frames file (the peer number for
`deconflict bench decode`). Usage: python3 scripts/bench/pymodes_decode.py [FRAMES.csv]"""
import csv, sys, time
import pyModeS

path = sys.argv[1] if len(sys.argv) > 1 else "Core/Tests/FormatsTests/Fixtures/adsb_frames_afr34zg_2024-07-06.csv"
rows = []
with open(path) as f:
    for r in csv.DictReader(f):
        h = r["frame_hex"]
        rows.append((float(r["time_s"]), h[:14] if int(r["df"]) < 16 else h))
best = None
for _ in range(3):
    dec = pyModeS.PipeDecoder(surface_ref=(49.0097, 2.5479))
    t0 = time.process_time()
    positions = 0
    for t, h in rows:
        out = dec.decode(h, timestamp=t)
        if out and out.get("latitude") is not None:
            positions += 1
    cpu = time.process_time() - t0
    best = cpu if best is None else min(best, cpu)
print({"peer": "pyModeS %s PipeDecoder" % pyModeS.__version__, "frames": len(rows),
       "cpu_s": round(best, 3), "frames_per_cpu_s": int(len(rows) / best), "positions": positions})
