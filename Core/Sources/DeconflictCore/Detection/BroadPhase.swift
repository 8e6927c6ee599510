/// The broad phase: a latitude/longitude grid over the region each aircraft can sweep
/// within the lookahead, so only pairs that can come within the protected zone are
/// tested exactly. Cost grows with aircraft × local density, not n².
///
/// Conservative by construction (never drops a pair the exact test would flag):
/// - In the exact test's pair frame, aircraft k's longitude moves by `ve·t / (R·c)` with
///   `c = cos(mean latitude of the pair)`. A pair that can conflict is at most
///   `D = rpz + 2·vmax·T` apart, so its mean latitude is within `D / 2R` of either
///   aircraft's latitude; each aircraft's box uses the smallest such cosine `c_lb`,
///   which over-covers its longitude sweep and its `rpz/2` inflation.
/// - Latitude is exact (`north = R·dlat`); the box adds `rpz/2` on each side.
/// - Altitude sweeps `[alt, alt + vs·T]` plus `hpz/2` on each side.
/// Two aircraft whose boxes do not overlap in all three cannot conflict.
public struct BroadPhase: Sendable {
    /// Swept boxes: latitude and altitude are plain intervals; longitude is a start
    /// (degrees, not wrapped) plus a width (≥ 360 means all longitudes).
    public let latMin: [Double], latMax: [Double]
    public let lonMin: [Double], lonWidth: [Double]
    public let altMin: [Double], altMax: [Double]
    /// The grid: `cellStart[c]..<cellStart[c+1]` indexes `members` for cell `c`.
    let grid: GridShape
    let cellStart: [Int32]
    let members: [Int32]

    public init(_ t: TrafficPicture, _ p: DetectionParameters) {
        let n = t.count
        let r = Units.earthRadius
        let horizon = p.lookahead
        var vmax = 0.0
        for k in 0..<n { vmax = max(vmax, (t.ve[k] * t.ve[k] + t.vn[k] * t.vn[k]).squareRoot()) }
        let partnerDeg = Units.deg((p.rpz + 2 * vmax * horizon) / (2 * r))
        let halfR = Units.deg(p.rpz / (2 * r))
        var latMin = [Double](repeating: 0, count: n), latMax = latMin
        var lonMin = latMin, lonWidth = latMin, altMin = latMin, altMax = latMin
        var sumHeight = 0.0
        var gLatMin = 90.0, gLatMax = -90.0
        for k in 0..<n {
            let dLat = Units.deg(t.vn[k] * horizon / r)
            latMin[k] = t.lat[k] + min(0, dLat) - halfR
            latMax[k] = t.lat[k] + max(0, dLat) + halfR
            let worstLat = abs(t.lat[k]) + abs(dLat) + partnerDeg
            if worstLat >= StateBased.polarLatitude {
                // May meet a pair solved in the polar tangent plane: cover the whole cap
                // down to where any partner of a polar aircraft can be (2·partner reach).
                lonMin[k] = -180; lonWidth[k] = 360
                let capEdge = StateBased.polarLatitude - 2.02 * partnerDeg - abs(dLat) - halfR
                if t.lat[k] >= 0 { latMin[k] = min(latMin[k], capEdge); latMax[k] = 90 }
                else { latMin[k] = -90; latMax[k] = max(latMax[k], -capEdge) }
            } else {
                let c = cos(Units.rad(worstLat))
                let dLon = Units.deg(t.ve[k] * horizon / (r * c))
                let half = halfR / c
                lonMin[k] = t.lon[k] + min(0, dLon) - half
                lonWidth[k] = abs(dLon) + 2 * half
                if lonWidth[k] >= 360 { lonMin[k] = -180; lonWidth[k] = 360 }
            }
            let dz = t.vs[k] * horizon
            altMin[k] = t.alt[k] + min(0, dz) - p.hpz / 2
            altMax[k] = t.alt[k] + max(0, dz) + p.hpz / 2
            sumHeight += latMax[k] - latMin[k]
            gLatMin = min(gLatMin, latMin[k]); gLatMax = max(gLatMax, latMax[k])
        }
        // Cell size about the typical box height, a whole fraction of 360°, with the
        // number of cells bounded (tiny zones would otherwise make a huge grid).
        var cell = n > 0 ? max(sumHeight / Double(n), 1e-3) : 1
        gLatMin = max(-90, gLatMin); gLatMax = min(90, gLatMax)
        let span = max(gLatMax - gLatMin, 1e-9)
        let maxCells = Double(max(4 * n, 1 << 16))
        while (360 / cell) * (span / cell + 1) > maxCells { cell *= 1.5 }
        let cols = max(1, Int((360 / cell).rounded(.up)))
        cell = 360 / Double(cols)
        let row0 = Int(((gLatMin + 90) / cell).rounded(.down))
        let rows = max(1, Int(((gLatMax + 90) / cell).rounded(.down)) - row0 + 1)

        let grid = GridShape(cellDeg: cell, rows: rows, cols: cols, row0: row0)

        // Counting sort of (aircraft, cell) memberships into CSR form.
        var counts = [Int32](repeating: 0, count: rows * cols + 1)
        func forEachCell(_ k: Int, _ body: (Int) -> Void) {
            grid.forEachCell(latMin: latMin[k], latMax: latMax[k], lonMin: lonMin[k],
                             lonWidth: lonWidth[k], body)
        }
        for k in 0..<n { forEachCell(k) { counts[$0 + 1] += 1 } }
        for c in 0..<(rows * cols) { counts[c + 1] += counts[c] }
        var fill = counts
        var members = [Int32](repeating: 0, count: Int(counts[rows * cols]))
        for k in 0..<n {
            forEachCell(k) { c in members[Int(fill[c])] = Int32(k); fill[c] += 1 }
        }
        self.latMin = latMin; self.latMax = latMax; self.lonMin = lonMin; self.lonWidth = lonWidth
        self.altMin = altMin; self.altMax = altMax
        self.grid = grid
        self.cellStart = counts; self.members = members
    }

    /// Whether the swept boxes of `i` and `j` overlap in latitude, longitude and altitude.
    public func boxesOverlap(_ i: Int, _ j: Int) -> Bool {
        if latMin[i] > latMax[j] || latMin[j] > latMax[i] { return false }
        if altMin[i] > altMax[j] || altMin[j] > altMax[i] { return false }
        if lonWidth[i] >= 360 || lonWidth[j] >= 360 { return true }
        var d = (lonMin[j] - lonMin[i]).truncatingRemainder(dividingBy: 360)
        if d < 0 { d += 360 }
        // j starts d degrees east of i's start: overlap if inside i, or i starts inside j.
        return d <= lonWidth[i] || 360 - d <= lonWidth[j]
    }

    /// Calls `body(j)` once for every aircraft `j > i` whose swept box overlaps `i`'s.
    /// `mark` is scratch space of `count` entries owned by the caller's thread.
    public func forEachCandidate(of i: Int, mark: inout [Int32], _ body: (Int) -> Void) {
        let tag = Int32(i)
        forEachCell(of: i) { c in
            let lo = Int(cellStart[c]), hi = Int(cellStart[c + 1])
            var m = lo
            while m < hi {
                let j = Int(members[m]); m += 1
                if j <= i || mark[j] == tag { continue }
                mark[j] = tag
                if boxesOverlap(i, j) { body(j) }
            }
        }
    }

    /// Calls `body(j)` once for every aircraft `j != i` whose swept box overlaps `i`'s
    /// (all neighbours, in both index directions: for incremental checks of one aircraft).
    public func forEachNeighbour(of i: Int, mark: inout [Int32], _ body: (Int) -> Void) {
        let tag = Int32(i)
        forEachCell(of: i) { c in
            for m in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                let j = Int(members[m])
                if j == i || mark[j] == tag { continue }
                mark[j] = tag
                if boxesOverlap(i, j) { body(j) }
            }
        }
    }

    func forEachCell(of k: Int, _ body: (Int) -> Void) {
        grid.forEachCell(latMin: latMin[k], latMax: latMax[k], lonMin: lonMin[k],
                         lonWidth: lonWidth[k], body)
    }
}

/// Rows of latitude from `row0`, columns of longitude all round the globe (a whole
/// number of `cellDeg`-wide columns, so wrapping is a plain modulo).
struct GridShape: Sendable {
    let cellDeg: Double
    let rows: Int, cols: Int, row0: Int

    func forEachCell(latMin: Double, latMax: Double, lonMin: Double, lonWidth: Double,
                     _ body: (Int) -> Void) {
        let r0 = max(0, Int(((latMin + 90) / cellDeg).rounded(.down)) - row0)
        let r1 = min(rows - 1, Int(((latMax + 90) / cellDeg).rounded(.down)) - row0)
        if r0 > r1 { return }
        let c0 = Int(((lonMin + 180) / cellDeg).rounded(.down))
        let c1 = Int(((lonMin + lonWidth + 180) / cellDeg).rounded(.down))
        let allCols = c1 - c0 + 1 >= cols
        for row in r0...r1 {
            if allCols {
                for col in 0..<cols { body(row * cols + col) }
            } else {
                for cc in c0...c1 {
                    var col = cc % cols; if col < 0 { col += cols }
                    body(row * cols + col)
                }
            }
        }
    }
}
