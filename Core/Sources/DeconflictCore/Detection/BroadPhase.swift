/// Each aircraft's swept box: the region it can sweep within a ``Reach``'s horizon, inflated by
/// the reach's half-widths, as latitude/longitude/altitude intervals. Two aircraft whose boxes do
/// not overlap in all three cannot be flagged by a test the reach covers.
///
/// Conservative by construction:
/// - In the exact test's pair frame, aircraft k's longitude moves by `ve·t / (R·c)` with
///   `c = cos(mean latitude of the pair)`. A pair that can be flagged is at most
///   `D = 2·hmax + 2·vmax·T` apart, so its mean latitude is within `D / 2R` of either
///   aircraft's latitude (`partnerDeg`); each aircraft's box uses the smallest such cosine,
///   which over-covers its longitude sweep and its horizontal half-width.
/// - Latitude is exact (`north = R·dlat`); the box adds the half-width on each side.
/// - Altitude sweeps `[alt, alt + vs·T]` plus the vertical half-width on each side.
public struct SweptBoxes: Sendable {
    /// Latitude and altitude are plain intervals; longitude is a start (degrees, not wrapped)
    /// plus a width (≥ 360 means all longitudes).
    public let latMin: [Double], latMax: [Double]
    public let lonMin: [Double], lonWidth: [Double]
    public let altMin: [Double], altMax: [Double]
    public let reach: Reach
    /// The fastest ground speed of the picture (m/s) and the reach of any partner (degrees).
    public let vmax: Double, partnerDeg: Double
    let horizon: Double

    public var count: Int { latMin.count }

    public init(_ t: TrafficPicture, reach: Reach) {
        let n = t.count
        let r = Units.earthRadius
        let horizon = reach.horizon
        var vmax = 0.0
        for k in 0..<n { vmax = max(vmax, (t.ve[k] * t.ve[k] + t.vn[k] * t.vn[k]).squareRoot()) }
        let partnerDeg = Units.deg((reach.half(gs: vmax, vs: 0).horizontal + vmax * horizon) / r)
        var latMin = [Double](repeating: 0, count: n), latMax = latMin
        var lonMin = latMin, lonWidth = latMin, altMin = latMin, altMax = latMin
        let constant = reach.constantHalf
        for k in 0..<n {
            // The formula of `sweptBox`, written out: calling it here made dense 10k detection
            // slower (release, `bench detect --n 10000 --region dense`: 26.5 ms against
            // 23–25 ms). A test keeps the two equal.
            let (hh, hv) = constant ?? reach.half(gs: (t.ve[k] * t.ve[k] + t.vn[k] * t.vn[k]).squareRoot(), vs: t.vs[k])
            let halfR = Units.deg(hh / r)
            let dLat = Units.deg(t.vn[k] * horizon / r)
            latMin[k] = t.lat[k] + min(0, dLat) - halfR
            latMax[k] = t.lat[k] + max(0, dLat) + halfR
            let worstLat = abs(t.lat[k]) + abs(dLat) + partnerDeg
            if worstLat >= StateBased.polarLatitude {
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
            altMin[k] = t.alt[k] + min(0, dz) - hv
            altMax[k] = t.alt[k] + max(0, dz) + hv
        }
        self.latMin = latMin; self.latMax = latMax; self.lonMin = lonMin; self.lonWidth = lonWidth
        self.altMin = altMin; self.altMax = altMax
        self.reach = reach; self.vmax = vmax; self.partnerDeg = partnerDeg; self.horizon = horizon
    }

    /// The swept box of a state with the given velocity (see the type's comment).
    @inline(__always)
    static func sweptBox(lat: Double, lon: Double, ve: Double, vn: Double, alt: Double, vs: Double, horizon: Double,
                         partnerDeg: Double, reach: Reach) -> Box {
        let r = Units.earthRadius
        let (hh, hv) = reach.half(gs: (ve * ve + vn * vn).squareRoot(), vs: vs)
        let halfR = Units.deg(hh / r)
        let dLat = Units.deg(vn * horizon / r)
        var latMin = lat + min(0, dLat) - halfR
        var latMax = lat + max(0, dLat) + halfR
        var lonMin: Double, lonWidth: Double
        let worstLat = abs(lat) + abs(dLat) + partnerDeg
        if worstLat >= StateBased.polarLatitude {
            // May meet a pair solved in the polar tangent plane: cover the whole cap
            // down to where any partner of a polar aircraft can be (2·partner reach).
            lonMin = -180; lonWidth = 360
            let capEdge = StateBased.polarLatitude - 2.02 * partnerDeg - abs(dLat) - halfR
            if lat >= 0 { latMin = min(latMin, capEdge); latMax = 90 }
            else { latMin = -90; latMax = max(latMax, -capEdge) }
        } else {
            let c = cos(Units.rad(worstLat))
            let dLon = Units.deg(ve * horizon / (r * c))
            let half = halfR / c
            lonMin = lon + min(0, dLon) - half
            lonWidth = abs(dLon) + 2 * half
            if lonWidth >= 360 { lonMin = -180; lonWidth = 360 }
        }
        let dz = vs * horizon
        return (latMin, latMax, lonMin, lonWidth, alt + min(0, dz) - hv, alt + max(0, dz) + hv)
    }

    /// The swept box of `s`, a state possibly not in the picture; nil when it is faster than
    /// the picture's fastest aircraft (the boxes' partner reach would not cover it).
    public func box(of s: AircraftState) -> Box? {
        let (ve, vn) = s.velocityEN
        guard (ve * ve + vn * vn).squareRoot() <= vmax else { return nil }
        return Self.sweptBox(lat: s.lat, lon: s.lon, ve: ve, vn: vn, alt: s.alt, vs: s.vs, horizon: horizon,
                             partnerDeg: partnerDeg, reach: reach)
    }

    public typealias Box = (latMin: Double, latMax: Double, lonMin: Double, lonWidth: Double, altMin: Double, altMax: Double)

    /// Aircraft `i`'s swept box.
    @inline(__always)
    public func box(_ i: Int) -> Box { (latMin[i], latMax[i], lonMin[i], lonWidth[i], altMin[i], altMax[i]) }

    /// Whether the swept boxes of `i` and `j` overlap.
    @inline(__always)
    public func overlap(_ i: Int, _ j: Int) -> Bool { Self.overlap(box(i), box(j)) }

    /// Whether two swept boxes overlap in latitude, longitude (modulo 360°) and altitude.
    @inline(__always)
    public static func overlap(_ a: Box, _ b: Box) -> Bool {
        if a.latMin > b.latMax || b.latMin > a.latMax { return false }
        if a.altMin > b.altMax || b.altMin > a.altMax { return false }
        if a.lonWidth >= 360 || b.lonWidth >= 360 { return true }
        var d = (b.lonMin - a.lonMin).truncatingRemainder(dividingBy: 360)
        if d < 0 { d += 360 }
        // b starts d degrees east of a's start: overlap if inside a, or a starts inside b.
        return d <= a.lonWidth || 360 - d <= b.lonWidth
    }
}

/// The broad phase: the picture's ``SweptBoxes`` for a ``Reach`` in a latitude/longitude/altitude
/// grid, so only pairs whose boxes overlap are tested exactly. Cost grows with aircraft × local
/// density, not n². One type for every test that needs near pairs: classic detection
/// (``Reach/detection(_:)``), DO-365 alerting (``Reach/alerting(_:)``), both at once (their
/// union, as the live cycle does), and the vicinity view (``Reach/vicinity(radius:height:)``).
public struct BroadPhase: Sendable {
    public let boxes: SweptBoxes
    /// The grid: `cellStart[c]..<cellStart[c+1]` indexes `members` for cell `c`.
    let grid: GridShape
    public let cellStart: [Int32]
    public let members: [Int32]

    public var latMin: [Double] { boxes.latMin }
    public var latMax: [Double] { boxes.latMax }
    public var lonMin: [Double] { boxes.lonMin }
    public var lonWidth: [Double] { boxes.lonWidth }

    /// Classic detection's broad phase.
    public init(_ t: TrafficPicture, _ p: DetectionParameters) { self.init(t, reach: .detection(p)) }

    public init(_ t: TrafficPicture, reach: Reach) {
        let n = t.count
        let b = SweptBoxes(t, reach: reach)
        // Longitude: a window over the data when no box wraps all round, else the whole
        // circle (then columns are a whole fraction of 360° and wrap by modulo).
        var lonLo = Double.infinity, lonHi = -Double.infinity, fullCircle = false
        var altLo = Double.infinity, altHi = -Double.infinity
        var gLatMin = 90.0, gLatMax = -90.0, sumHeight = 0.0, minHalfV = Double.infinity
        for k in 0..<n {
            if b.lonWidth[k] >= 360 { fullCircle = true } else {
                lonLo = min(lonLo, b.lonMin[k]); lonHi = max(lonHi, b.lonMin[k] + b.lonWidth[k])
            }
            altLo = min(altLo, b.altMin[k]); altHi = max(altHi, b.altMax[k])
            sumHeight += b.latMax[k] - b.latMin[k]
            gLatMin = min(gLatMin, b.latMin[k]); gLatMax = max(gLatMax, b.latMax[k])
        }
        if let c = reach.constantHalf { minHalfV = c.vertical } else {
            for k in 0..<n { minHalfV = min(minHalfV, reach.half(gs: 0, vs: t.vs[k]).vertical) }
        }
        // A window narrower than 180° cannot hide a pair that is close the other way round.
        if n == 0 || lonHi - lonLo >= 180 { fullCircle = true }
        gLatMin = max(-90, gLatMin); gLatMax = min(90, gLatMax)
        // Cell about the typical box height, layers two protected zones deep (four vertical
        // half-widths); the number of cells stays bounded (tiny zones would otherwise make a
        // huge grid).
        var cell = n > 0 ? max(sumHeight / Double(n), 1e-4) : 1
        var layer = n > 0 ? max(4 * minHalfV, 1) : 1
        let latSpan = max(gLatMax - gLatMin, 1e-9)
        let lonSpan = fullCircle ? 360 : max(lonHi - lonLo, 1e-9)
        let altSpan = n > 0 ? max(altHi - altLo, 1e-9) : 1
        let maxCells = Double(max(8 * n, 1 << 16))
        while (latSpan / cell + 1) * (lonSpan / cell + 1) > maxCells / 4 { cell *= 1.5 }
        while (latSpan / cell + 1) * (lonSpan / cell + 1) * (altSpan / layer + 1) > maxCells { layer *= 1.5 }
        var cols: Int
        let colOrigin: Double
        if fullCircle {
            cols = max(1, Int((360 / cell).rounded(.up)))
            cell = 360 / Double(cols)
            colOrigin = -180
        } else {
            cols = Int((lonSpan / cell).rounded(.down)) + 1
            colOrigin = lonLo
        }
        let row0 = Int(((gLatMin + 90) / cell).rounded(.down))
        let rows = max(1, Int(((gLatMax + 90) / cell).rounded(.down)) - row0 + 1)
        let layers = n > 0 ? Int((altSpan / layer).rounded(.down)) + 1 : 1
        let grid = GridShape(cellDeg: cell, rows: rows, cols: cols, row0: row0, colOrigin: colOrigin,
                             wraps: fullCircle, layer: layer, layers: layers, alt0: n > 0 ? altLo : 0)
        let cellCount = rows * cols * layers

        // Counting sort of (aircraft, cell) memberships into CSR form.
        var counts = [Int32](repeating: 0, count: cellCount + 1)
        func forEachCell(_ k: Int, _ body: (Int) -> Void) {
            grid.forEachCell(latMin: b.latMin[k], latMax: b.latMax[k], lonMin: b.lonMin[k],
                             lonWidth: b.lonWidth[k], altMin: b.altMin[k], altMax: b.altMax[k], body)
        }
        for k in 0..<n { forEachCell(k) { counts[$0 + 1] += 1 } }
        for c in 0..<cellCount { counts[c + 1] += counts[c] }
        var fill = counts
        var members = [Int32](repeating: 0, count: Int(counts[cellCount]))
        for k in 0..<n {
            forEachCell(k) { c in members[Int(fill[c])] = Int32(k); fill[c] += 1 }
        }
        self.boxes = b
        self.grid = grid
        self.cellStart = counts; self.members = members
    }

    /// Calls `body(j)` once for every aircraft of the picture whose swept box overlaps the box
    /// of `s` — a state NOT in the picture (or a new state of one that is): a live service
    /// checking a fresh report against the last cycle's picture. Conservative like the rest
    /// as long as `s` is no faster than the picture's fastest aircraft; returns false (and
    /// calls nothing) when it is faster: the caller must then test every aircraft.
    /// `mark`/`tag`: scratch space of `count` entries and a tag not used since it was cleared.
    @discardableResult
    public func forEachNeighbour(of s: AircraftState, mark: inout [Int32], tag: Int32, _ body: (Int) -> Void) -> Bool {
        guard let b = boxes.box(of: s) else { return false }
        func visit(lonMin: Double) {
            grid.forEachCell(latMin: b.latMin, latMax: b.latMax, lonMin: lonMin, lonWidth: b.lonWidth,
                             altMin: b.altMin, altMax: b.altMax) { c in
                for m in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                    let j = Int(members[m])
                    if mark[j] == tag { continue }
                    mark[j] = tag
                    if SweptBoxes.overlap(b, boxes.box(j)) { body(j) }
                }
            }
        }
        if grid.wraps || b.lonWidth >= 360 {
            visit(lonMin: b.lonMin)
        } else {
            // A longitude window over the data: look for the box at its place in the window
            // and one turn either side (the box's longitude is not wrapped).
            var l = (b.lonMin - grid.colOrigin).truncatingRemainder(dividingBy: 360)
            if l < 0 { l += 360 }
            visit(lonMin: grid.colOrigin + l)
            visit(lonMin: grid.colOrigin + l - 360)
        }
        return true
    }

    /// Whether the swept boxes of `i` and `j` overlap in latitude, longitude and altitude.
    public func boxesOverlap(_ i: Int, _ j: Int) -> Bool { boxes.overlap(i, j) }

    /// Calls `body(j)` once for every aircraft `j > i` whose swept box overlaps `i`'s.
    /// `mark` is scratch space of `count` entries owned by the caller's thread.
    public func forEachCandidate(of i: Int, mark: inout [Int32], _ body: (Int) -> Void) {
        mark.withUnsafeMutableBufferPointer { mk in
            withScanner { $0.forEachCandidate(of: i, mark: mk, body) }
        }
    }

    /// Runs `body` with a ``CandidateScanner`` over this broad phase: the hot loop's view
    /// of the grid and boxes through raw buffers (no bounds checks, no reference counting).
    public func withScanner<R>(_ body: (CandidateScanner) throws -> R) rethrows -> R {
        try cellStart.withUnsafeBufferPointer { cs in
            try members.withUnsafeBufferPointer { mem in
                try boxes.latMin.withUnsafeBufferPointer { la0 in
                    try boxes.latMax.withUnsafeBufferPointer { la1 in
                        try boxes.lonMin.withUnsafeBufferPointer { lo0 in
                            try boxes.lonWidth.withUnsafeBufferPointer { low in
                                try boxes.altMin.withUnsafeBufferPointer { al0 in
                                    try boxes.altMax.withUnsafeBufferPointer { al1 in
                                        try body(CandidateScanner(grid: grid, cellStart: cs, members: mem,
                                                                  latMin: la0, latMax: la1, lonMin: lo0,
                                                                  lonWidth: low, altMin: al0, altMax: al1))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Calls `body(i, j)` once for every candidate pair (`i < j`), on the caller's thread.
    public func forEachPair(_ body: (Int, Int) -> Void) {
        let n = boxes.count
        var mark = [Int32](repeating: -1, count: n)
        mark.withUnsafeMutableBufferPointer { mk in
            withScanner { sc in
                for i in 0..<n { sc.forEachCandidate(of: i, mark: mk) { j in body(i, j) } }
            }
        }
    }

    /// Visits the aircraft `j != i` whose swept box overlaps `i`'s until `body` returns true;
    /// returns whether it did (a vicinity query stops at the first aircraft it needs).
    public func firstNeighbour(of i: Int, mark: inout [Int32], where body: (Int) -> Bool) -> Bool {
        let tag = Int32(i)
        var found = false
        forEachCell(of: i) { c in
            if found { return }
            for m in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                let j = Int(members[m])
                if j == i || mark[j] == tag { continue }
                mark[j] = tag
                if boxesOverlap(i, j) && body(j) { found = true; return }
            }
        }
        return found
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
        let b = boxes
        grid.forEachCell(latMin: b.latMin[k], latMax: b.latMax[k], lonMin: b.lonMin[k],
                         lonWidth: b.lonWidth[k], altMin: b.altMin[k], altMax: b.altMax[k], body)
    }
}

/// Rows of latitude from `row0`; columns of longitude from `colOrigin` (all round the
/// globe when `wraps`, a whole number of `cellDeg`-wide columns so wrapping is a modulo);
/// layers of altitude from `alt0`.
public struct GridShape: Sendable {
    let cellDeg: Double
    let rows: Int, cols: Int, row0: Int
    let colOrigin: Double
    let wraps: Bool
    let layer: Double, layers: Int, alt0: Double

    func forEachCell(latMin: Double, latMax: Double, lonMin: Double, lonWidth: Double,
                     altMin: Double, altMax: Double, _ body: (Int) -> Void) {
        let r0 = max(0, Int(((latMin + 90) / cellDeg).rounded(.down)) - row0)
        let r1 = min(rows - 1, Int(((latMax + 90) / cellDeg).rounded(.down)) - row0)
        let z0 = max(0, Int(((altMin - alt0) / layer).rounded(.down)))
        let z1 = min(layers - 1, Int(((altMax - alt0) / layer).rounded(.down)))
        if r0 > r1 || z0 > z1 { return }
        var c0 = Int(((lonMin - colOrigin) / cellDeg).rounded(.down))
        var c1 = Int(((lonMin + lonWidth - colOrigin) / cellDeg).rounded(.down))
        let allCols = lonWidth >= 360 || c1 - c0 + 1 >= cols
        if allCols { c0 = 0; c1 = cols - 1 }
        else if !wraps { c0 = max(0, c0); c1 = min(cols - 1, c1) }
        if c0 > c1 { return }   // (a query box left of or right of the window)
        for row in r0...r1 {
            for cc in c0...c1 {
                var col = cc
                if wraps { col = cc % cols; if col < 0 { col += cols } }
                let base = (row * cols + col) * layers
                for z in z0...z1 { body(base + z) }
            }
        }
    }
}

/// The broad phase's hot loop over raw buffers, valid inside ``BroadPhase/withScanner(_:)``.
public struct CandidateScanner {
    let grid: GridShape
    let cellStart: UnsafeBufferPointer<Int32>, members: UnsafeBufferPointer<Int32>
    let latMin: UnsafeBufferPointer<Double>, latMax: UnsafeBufferPointer<Double>
    let lonMin: UnsafeBufferPointer<Double>, lonWidth: UnsafeBufferPointer<Double>
    let altMin: UnsafeBufferPointer<Double>, altMax: UnsafeBufferPointer<Double>

    /// Calls `body(j)` once for every `j > i` whose box overlaps `i`'s. Members of a cell
    /// are stored in ascending order, so each cell is read from its end down to `i`.
    @inline(__always)
    public func forEachCandidate(of i: Int, mark: UnsafeMutableBufferPointer<Int32>, _ body: (Int) -> Void) {
        let g = grid
        let r0 = max(0, Int(((latMin[i] + 90) / g.cellDeg).rounded(.down)) - g.row0)
        let r1 = min(g.rows - 1, Int(((latMax[i] + 90) / g.cellDeg).rounded(.down)) - g.row0)
        let z0 = max(0, Int(((altMin[i] - g.alt0) / g.layer).rounded(.down)))
        let z1 = min(g.layers - 1, Int(((altMax[i] - g.alt0) / g.layer).rounded(.down)))
        if r0 > r1 || z0 > z1 { return }
        let wi = lonWidth[i]
        var c0 = Int(((lonMin[i] - g.colOrigin) / g.cellDeg).rounded(.down))
        var c1 = Int(((lonMin[i] + wi - g.colOrigin) / g.cellDeg).rounded(.down))
        if wi >= 360 || c1 - c0 + 1 >= g.cols { c0 = 0; c1 = g.cols - 1 }
        else if !g.wraps { c0 = max(0, c0); c1 = min(g.cols - 1, c1) }
        let tag = Int32(truncatingIfNeeded: i)
        let la0 = latMin[i], la1 = latMax[i], al0 = altMin[i], al1 = altMax[i], lo0 = lonMin[i]
        for row in r0...r1 {
            for cc in c0...c1 {
                var col = cc
                if g.wraps { col = cc % g.cols; if col < 0 { col += g.cols } }
                let base = (row * g.cols + col) * g.layers
                for z in z0...z1 {
                    let lo = Int(cellStart[base + z])
                    var m = Int(cellStart[base + z + 1]) - 1
                    while m >= lo {
                        let j = Int(members[m]); m -= 1
                        if j <= i { break }
                        if mark[j] == tag { continue }
                        mark[j] = tag
                        if latMin[j] > la1 || la0 > latMax[j] || altMin[j] > al1 || al0 > altMax[j] { continue }
                        if wi < 360 && lonWidth[j] < 360 {
                            var d = lonMin[j] - lo0
                            while d < 0 { d += 360 }
                            while d >= 360 { d -= 360 }
                            if d > wi && 360 - d > lonWidth[j] { continue }
                        }
                        body(j)
                    }
                }
            }
        }
    }
}
