/// Candidate pairs for alerting: a uniform grid over the space each aircraft can sweep before
/// the alerter's longest (early) alerting time, in Earth-centred coordinates plus altitude.
///
/// Conservative: any pair that can raise a level this step is reported (once). Why: if a
/// level's volume is violated at some t* ≤ H (H = ``Alerter/maxAlertingHorizon``), then at t*
/// the horizontal distance is ≤ DTHR + TTHR·|v_rel| (the tau_mod test |s|² + TTHR·s·v ≤ DTHR²
/// bounds it) and the vertical distance ≤ ZTHR + TCOA·|vz_rel|. Each aircraft's box covers its
/// straight path over [0, H] inflated by half of that (DTHR/2 + TTHR·gs, ZTHR/2 + TCOA·|vs|),
/// plus a margin for the difference between chord and tangent-plane distances, so the two
/// boxes of such a pair overlap.
///
/// (A stop-gap until the shared broad phase in Detection/ can take these radii; the engine also
/// accepts an explicit candidate list.)
public enum AlertBroadPhase {
    struct Box {
        var lo: (Double, Double, Double, Double)
        var hi: (Double, Double, Double, Double)
    }

    /// Calls `body(i, j)` (i < j in no particular sense) once for each candidate pair.
    public static func forEachCandidate(points: [TangentPlane.Point], alerter: Alerter,
                                        _ body: (Int, Int) -> Void) {
        let n = points.count
        guard n > 1 else { return }
        let horizon = alerter.maxAlertingHorizon
        var dmax = 0.0, tthr = 0.0, zmax = 0.0, tcoa = 0.0
        for l in alerter.levels {
            switch l.volume {
            case .wellClear(let t):
                dmax = max(dmax, t.dthr); tthr = max(tthr, t.tthr); zmax = max(zmax, t.zthr); tcoa = max(tcoa, t.tcoa)
            case .cylinder(let r, let h):
                dmax = max(dmax, r); zmax = max(zmax, h)
            }
        }
        var boxes = [Box]()
        boxes.reserveCapacity(n)
        var extentSum = 0.0
        for p in points {
            let gs = (p.dx * p.dx + p.dy * p.dy + p.dz * p.dz).squareRoot()
            let rho = (dmax / 2 + tthr * gs) * 1.01 + 200
            let ex = p.x + p.dx * horizon, ey = p.y + p.dy * horizon, ez = p.z + p.dz * horizon
            let zr = zmax / 2 + tcoa * abs(p.vs) + 0.01
            let a2 = p.alt + p.vs * horizon
            let b = Box(lo: (min(p.x, ex) - rho, min(p.y, ey) - rho, min(p.z, ez) - rho, min(p.alt, a2) - zr),
                        hi: (max(p.x, ex) + rho, max(p.y, ey) + rho, max(p.z, ez) + rho, max(p.alt, a2) + zr))
            extentSum += max(b.hi.0 - b.lo.0, b.hi.1 - b.lo.1, b.hi.2 - b.lo.2)
            boxes.append(b)
        }
        // Cells about the size of an average box; altitude layers of twice ZTHR (≥ 150 m).
        let cell = max(2_000, extentSum / Double(n))
        let layer = max(150, 2 * zmax)
        @inline(__always) func c(_ v: Double) -> Int { Int((v / cell).rounded(.down)) }
        @inline(__always) func a(_ v: Double) -> Int { Int((v / layer).rounded(.down)) }
        // Cell coordinates relative to the picture's lowest cell, flattened to one index.
        var lo = (Int.max, Int.max, Int.max, Int.max), hi = (Int.min, Int.min, Int.min, Int.min)
        for b in boxes {
            lo = (min(lo.0, c(b.lo.0)), min(lo.1, c(b.lo.1)), min(lo.2, c(b.lo.2)), min(lo.3, a(b.lo.3)))
            hi = (max(hi.0, c(b.hi.0)), max(hi.1, c(b.hi.1)), max(hi.2, c(b.hi.2)), max(hi.3, a(b.hi.3)))
        }
        let nx = UInt64(hi.0 - lo.0 + 1), ny = UInt64(hi.1 - lo.1 + 1)
        let nz = UInt64(hi.2 - lo.2 + 1), nw = UInt64(hi.3 - lo.3 + 1)
        @inline(__always) func cellIndex(_ x: Int, _ y: Int, _ z: Int, _ w: Int) -> UInt64 {
            ((UInt64(x - lo.0) * ny + UInt64(y - lo.1)) * nz + UInt64(z - lo.2)) * nw + UInt64(w - lo.3)
        }
        // Sort (cell, aircraft) entries packed in one UInt64 when they fit, else as pairs.
        let idxBits = UInt64(max(1, 64 - (UInt64(n).leadingZeroBitCount)))
        let (cells, overflow) = nx.multipliedReportingOverflow(by: ny)
        let (cells2, o2) = cells.multipliedReportingOverflow(by: nz)
        let (cells3, o3) = cells2.multipliedReportingOverflow(by: nw)
        let fits = !overflow && !o2 && !o3 && idxBits < 64 && cells3 < (UInt64(1) << (64 - idxBits))
        var keys: [UInt64] = []
        var pairs: [(key: UInt64, idx: Int32)] = []
        if fits { keys.reserveCapacity(n * 8) } else { pairs.reserveCapacity(n * 8) }
        for (i, b) in boxes.enumerated() {
            let x0 = c(b.lo.0), x1 = c(b.hi.0), y0 = c(b.lo.1), y1 = c(b.hi.1)
            let z0 = c(b.lo.2), z1 = c(b.hi.2), w0 = a(b.lo.3), w1 = a(b.hi.3)
            for x in x0...x1 { for y in y0...y1 { for z in z0...z1 { for w in w0...w1 {
                let k = cellIndex(x, y, z, w)
                if fits { keys.append(k << idxBits | UInt64(i)) } else { pairs.append((k, Int32(i))) }
            } } } }
        }
        let entries: [(key: UInt64, idx: Int32)]
        if fits {
            keys.sort()
            let mask = (UInt64(1) << idxBits) - 1
            entries = keys.map { ($0 >> idxBits, Int32(truncatingIfNeeded: $0 & mask)) }
        } else {
            pairs.sort { $0.key < $1.key }
            entries = pairs
        }
        @inline(__always) func pack(_ x: Int, _ y: Int, _ z: Int, _ w: Int) -> UInt64 { cellIndex(x, y, z, w) }

        var start = 0
        while start < entries.count {
            var end = start + 1
            let key = entries[start].key
            while end < entries.count && entries[end].key == key { end += 1 }
            if end - start > 1 {
                for u in start..<(end - 1) {
                    let i = Int(entries[u].idx)
                    let bi = boxes[i]
                    for v in (u + 1)..<end {
                        let j = Int(entries[v].idx)
                        let bj = boxes[j]
                        let lx = max(bi.lo.0, bj.lo.0), ly = max(bi.lo.1, bj.lo.1)
                        let lz = max(bi.lo.2, bj.lo.2), lw = max(bi.lo.3, bj.lo.3)
                        guard lx <= min(bi.hi.0, bj.hi.0), ly <= min(bi.hi.1, bj.hi.1),
                              lz <= min(bi.hi.2, bj.hi.2), lw <= min(bi.hi.3, bj.hi.3) else { continue }
                        // Report the pair only in the cell holding the low corner of the overlap.
                        guard pack(c(lx), c(ly), c(lz), a(lw)) == key else { continue }
                        body(i, j)
                    }
                }
            }
            start = end
        }
    }
}
