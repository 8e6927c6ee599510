/// Conservative spatial covering of outlines by a fixed grid of ~1.1 km cells.
///
/// Cell scheme ("DCG", documented in docs/strategic.md):
/// - Rows are latitude bands of ``CellGrid/rowHeight`` degrees (0.01° ≈ 1.11 km), row 0 starting
///   at −90°: `row = floor((lat + 90) / 0.01)`, clamped to 0...17999.
/// - Row r is cut into columns of `0.01° · 2^k` of longitude starting at −180° (the last column
///   of a row may be narrower), where k = ``CellGrid/shift(row:)`` (0...12) grows towards the
///   poles so that cells stay roughly square: k = 0 below 60°, then k increases by one each
///   time cos(latitude) halves (60°, 75.5°, 82.8°, 86.4°, 88.2°, 89.1°, 89.55°, 89.78°, 89.89°,
///   89.94°, 89.97°, 89.99°; thresholds are whole rows, see ``CellGrid/polarShift``).
/// - `CellID.rawValue = row · 65536 + column` (fits an SQL BIGINT/INTEGER).
///
/// Guarantee: if two valid outlines have intersecting interiors, their coverings share at least
/// one cell (the covering contains every cell that any point of the outline falls in, with a
/// 1 m margin). Coverings are sorted and free of duplicates.
public struct CellID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(row: Int, column: Int) { self.rawValue = Int64(row) * 65536 + Int64(column) }
    public var row: Int { Int(rawValue / 65536) }
    public var column: Int { Int(rawValue % 65536) }
    public static func < (a: CellID, b: CellID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "\(row):\(column)" }
}

/// The fixed cell grid. There is one grid (``standard``); the type exists to name its rules.
public struct CellGrid: Sendable, Hashable {
    /// Row height, degrees of latitude.
    public let rowHeight: Double
    /// Number of rows (180 / rowHeight).
    public let rows: Int
    /// Columns of the finest rows (360 / rowHeight).
    public let baseColumns: Int

    public static let standard = CellGrid(rowHeight: 0.01, rows: 18_000, baseColumns: 36_000)

    /// Row boundaries (distance in rows from the nearer pole) where column width doubles.
    /// Row r's distance from the pole: min(r, rows-1-r). Column width = 2^k base columns.
    static let polarShift: [(rowsFromPole: Int, k: Int)] = [
        (1, 12), (3, 11), (6, 10), (11, 9), (22, 8), (45, 7), (90, 6),
        (180, 5),   // |lat| ≥ 88.2°
        (360, 4),   // |lat| ≥ 86.4°
        (720, 3),   // |lat| ≥ 82.8°
        (1450, 2),  // |lat| ≥ 75.5°
        (3000, 1),  // |lat| ≥ 60°
    ]

    /// log2 of the column width (in base columns) of a row.
    public func shift(row: Int) -> Int {
        let fromPole = Swift.min(row, rows - 1 - row)
        for s in CellGrid.polarShift where fromPole < s.rowsFromPole { return s.k }
        return 0
    }
    /// Column width of a row, degrees of longitude.
    public func columnWidth(row: Int) -> Double { rowHeight * Double(1 << shift(row: row)) }
    /// Number of columns of a row (the last one may be narrower).
    public func columns(row: Int) -> Int {
        let k = shift(row: row)
        return (baseColumns + (1 << k) - 1) >> k
    }

    /// The row of a latitude (degrees).
    public func row(lat: Double) -> Int {
        let r = Int(floor((lat + 90.0) / rowHeight))
        return Swift.max(0, Swift.min(rows - 1, r))
    }
    /// The column of a longitude (degrees, any value: it is wrapped) in a row.
    public func column(lon: Double, row: Int) -> Int {
        var l = (lon + 180.0).truncatingRemainder(dividingBy: 360.0)
        if l < 0 { l += 360.0 }
        let c = Int(floor(l / columnWidth(row: row)))
        return Swift.max(0, Swift.min(columns(row: row) - 1, c))
    }
    /// The cell a position falls in.
    public func cell(_ p: LatLon) -> CellID {
        let r = row(lat: p.lat)
        return CellID(row: r, column: column(lon: p.lon, row: r))
    }
}

// MARK: - Covering

extension Volume3D {
    /// The cells of ``CellGrid/standard`` that the outline may touch (conservative: every
    /// point of the outline, plus a 1 m margin, lies in one of them). Sorted, no duplicates.
    /// Invalid outlines give an empty covering (validate first).
    public func coveringCells(grid: CellGrid = .standard) -> [CellID] {
        outline.coveringCells(grid: grid)
    }
}

extension Outline {
    public func coveringCells(grid: CellGrid = .standard) -> [CellID] {
        guard let shape = PreparedOutline(self) else { return [] }
        var cov = CellCoverer(grid: grid, shape: shape)
        cov.run()
        var out = cov.cells.sorted()
        var w = 0
        for c in out where w == 0 || out[w - 1] != c { out[w] = c; w += 1 }
        out.removeLast(out.count - w)
        return out
    }
}

/// Quadtree refinement over latitude/longitude rectangles: a rectangle is dropped when its
/// bounding cap is farther from the shape than its radius (plus margin), added whole when it
/// is small or lies deep inside the shape, else split in four.
struct CellCoverer {
    let grid: CellGrid
    let shape: PreparedOutline
    var cells: [CellID] = []
    /// Margin, radians (1 m).
    let margin = 1.0 / Units.earthRadius
    /// Degrees added around leaf rectangles before listing their cells (≈ 1 cm).
    let slop = 1e-7

    init(grid: CellGrid, shape: PreparedOutline) { self.grid = grid; self.shape = shape }

    mutating func run() {
        let (c, r0) = shape.cap
        let r = r0 + 2 * margin
        let cll = SphereGeo.latLon(c)
        let rDeg = Units.deg(r)
        var lat0 = cll.lat - rDeg, lat1 = cll.lat + rDeg
        var lon0 = -180.0, lon1 = 180.0
        if lat1 >= 90 || lat0 <= -90 {
            lat0 = Swift.max(lat0, -90); lat1 = Swift.min(lat1, 90)
        } else {
            let s = sin(r) / cos(Units.rad(cll.lat))
            if s < 1 {
                let dl = Units.deg(asin(s)) + 1e-9
                lon0 = cll.lon - dl; lon1 = cll.lon + dl
            }
        }
        refine(lat0, lat1, lon0, lon1, depth: 0)
    }

    /// Bounding cap (centre, angular radius) of a lat/lon rectangle: the farthest point from
    /// the rectangle's centre is a corner (distance is monotone in |Δlat| along a meridian
    /// away from the nearest point and in |Δlon| along a parallel).
    func rectCap(_ lat0: Double, _ lat1: Double, _ lon0: Double, _ lon1: Double) -> (Vec3, Double) {
        let mid = LatLon(lat: (lat0 + lat1) / 2, lon: (lon0 + lon1) / 2)
        let c = SphereGeo.unit(mid)
        var r = 0.0
        for la in [lat0, lat1] {
            for lo in [lon0, lon1] { r = Swift.max(r, SphereGeo.angle(c, SphereGeo.unit(LatLon(lat: la, lon: lo)))) }
        }
        // Meridians: the nearest point may be interior, but the max is still at an end.
        return (c, r)
    }

    func cellCount(_ lat0: Double, _ lat1: Double, _ lon0: Double, _ lon1: Double) -> Int {
        let r0 = grid.row(lat: lat0), r1 = grid.row(lat: lat1)
        let w = Swift.min(grid.columnWidth(row: r0), grid.columnWidth(row: r1))
        let cols = Swift.min(Double(grid.baseColumns), (lon1 - lon0) / w + 2)
        return (r1 - r0 + 1) * Int(cols)
    }

    mutating func refine(_ lat0: Double, _ lat1: Double, _ lon0: Double, _ lon1: Double, depth: Int) {
        let (c, r) = rectCap(lat0, lat1, lon0, lon1)
        let d = shape.distance(c)
        if d > r + margin { return }
        if depth >= 40 || cellCount(lat0, lat1, lon0, lon1) <= 4 {
            addCells(lat0, lat1, lon0, lon1); return
        }
        if d == 0, case let .polygon(p) = shape, p.boundaryDistance(c) > r + margin {
            addCells(lat0, lat1, lon0, lon1); return
        }
        if d == 0, case let .circle(cc, rr) = shape, SphereGeo.angle(cc, c) + r + margin < rr {
            addCells(lat0, lat1, lon0, lon1); return
        }
        let lm = (lat0 + lat1) / 2, om = (lon0 + lon1) / 2
        refine(lat0, lm, lon0, om, depth: depth + 1)
        refine(lat0, lm, om, lon1, depth: depth + 1)
        refine(lm, lat1, lon0, om, depth: depth + 1)
        refine(lm, lat1, om, lon1, depth: depth + 1)
    }

    /// Adds every cell overlapping the rectangle (grown by `slop`).
    mutating func addCells(_ lat0: Double, _ lat1: Double, _ lon0: Double, _ lon1: Double) {
        let r0 = grid.row(lat: lat0 - slop), r1 = grid.row(lat: lat1 + slop)
        let lo = lon0 - slop, hi = lon1 + slop
        for row in r0...r1 {
            let n = grid.columns(row: row)
            if hi - lo >= 360 {
                for col in 0..<n { cells.append(CellID(row: row, column: col)) }
                continue
            }
            var w0 = (lo + 180).truncatingRemainder(dividingBy: 360)
            if w0 < 0 { w0 += 360 }
            w0 -= 180
            let w1 = w0 + (hi - lo)
            let c0 = grid.column(lon: w0, row: row)
            if w1 < 180 {
                let c1 = grid.column(lon: w1, row: row)
                for col in c0...Swift.max(c0, c1) { cells.append(CellID(row: row, column: col)) }
            } else {
                for col in c0..<n { cells.append(CellID(row: row, column: col)) }
                let c1 = grid.column(lon: w1 - 360, row: row)
                for col in 0...c1 { cells.append(CellID(row: row, column: col)) }
            }
        }
    }
}
