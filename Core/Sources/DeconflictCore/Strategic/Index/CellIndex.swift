/// The stores' spatial index: a multi-level latitude/longitude grid (both backends).
///
/// Level 0 cuts the globe into 0.1° cells, level 1 into 1°, level 2 into 10°; level 3 is one
/// cell for the whole world. A volume's box (``VolumeBounds``) is stored under the cells of the
/// FINEST level at which it touches at most ``maxCells`` cells (a 2 km circle: 1–4 cells of
/// level 0; huge, polar or antimeridian-crossing boxes end up at a coarse level or the world
/// cell). A query looks at every level: the cells its box touches at each level.
///
/// Never misses: if a stored box and a query box overlap, they share a point p; at the stored
/// box's level, the cell containing p (`floor`, monotonic, identical code on both sides) is
/// among the stored cells and among the query's cells, so the stored row is found; its exact
/// box, altitude and time interval (kept in the row) then pass the overlap filter. Checked by
/// `CellIndexTests` with random volumes (antimeridian, poles, huge ones).
///
/// Keys: `level << 40 | row << 20 | col`, so the cells of one row of one level are a
/// contiguous key range (used for large area queries).
public enum CellIndex {
    /// Cell size in degrees per level; the level after the last is the world cell.
    public static let cellDeg: [Double] = [0.1, 1, 10]
    public static let worldLevel = 3
    public static let worldCell: Int64 = Int64(worldLevel) << 40
    /// Most cells a stored box may touch at its level.
    public static let maxCells = 16

    public struct Span: Equatable {
        public var level: Int
        public var row0: Int, row1: Int, col0: Int, col1: Int
        public var count: Int { (row1 - row0 + 1) * (col1 - col0 + 1) }
    }

    public static func key(level: Int, row: Int, col: Int) -> Int64 {
        Int64(level) << 40 | Int64(row) << 20 | Int64(col)
    }

    /// The cells `box` touches at `level` (< worldLevel); nil for a box with non-finite bounds.
    public static func span(_ box: Box4, level: Int) -> Span? {
        let d = cellDeg[level]
        let rows = Int((180 / d).rounded()), cols = Int((360 / d).rounded())
        func idx(_ x: Double, _ origin: Double, _ n: Int) -> Int? {
            let v = ((x + origin) / d).rounded(.down)
            guard v.isFinite else { return nil }
            return Int(max(0, min(Double(n - 1), v)))
        }
        guard let r0 = idx(box.minLat, 90, rows), let r1 = idx(box.maxLat, 90, rows),
              let c0 = idx(box.minLon, 180, cols), let c1 = idx(box.maxLon, 180, cols),
              r0 <= r1, c0 <= c1 else { return nil }
        return Span(level: level, row0: r0, row1: r1, col0: c0, col1: c1)
    }

    /// The cell keys a stored box is indexed under.
    public static func storedCells(_ box: Box4) -> [Int64] {
        for level in 0..<worldLevel {
            guard let s = span(box, level: level) else { return [worldCell] }
            if s.count <= maxCells {
                var out: [Int64] = []
                out.reserveCapacity(s.count)
                for r in s.row0...s.row1 { for c in s.col0...s.col1 { out.append(key(level: level, row: r, col: c)) } }
                return out
            }
        }
        return [worldCell]
    }

    /// What a query for `box` must look at: per level, the span of cells (the world cell always).
    public static func querySpans(_ box: Box4) -> [Span]? {
        var out: [Span] = []
        for level in 0..<worldLevel {
            guard let s = span(box, level: level) else { return nil }
            out.append(s)
        }
        return out
    }

    /// For a set of query boxes: every cell to probe, each with the union of the query boxes
    /// touching it (a conservative filter for the rows found there), plus row ranges for spans
    /// too large to probe cell by cell (each with its box).
    public struct Probe {
        public var cells: [Int64: Box4] = [:]
        public var ranges: [(lo: Int64, hi: Int64, box: Box4)] = []
    }

    /// Spans with more cells than this are scanned as one key range per grid row.
    public static let maxProbeCells = 64

    public static func probe(_ boxes: [Box4]) -> Probe {
        var p = Probe()
        func add(_ cell: Int64, _ b: Box4) { p.cells[cell] = p.cells[cell].map { $0.union(b) } ?? b }
        for b in boxes {
            add(worldCell, b)
            guard let spans = querySpans(b) else {
                // Non-finite query: look everywhere (cannot happen for validated boxes).
                for level in 0..<worldLevel {
                    p.ranges.append((key(level: level, row: 0, col: 0), key(level: level + 1, row: 0, col: 0) - 1, b))
                }
                continue
            }
            for s in spans {
                if s.count <= maxProbeCells {
                    for r in s.row0...s.row1 { for c in s.col0...s.col1 { add(key(level: s.level, row: r, col: c), b) } }
                } else {
                    for r in s.row0...s.row1 {
                        p.ranges.append((key(level: s.level, row: r, col: s.col0), key(level: s.level, row: r, col: s.col1), b))
                    }
                }
            }
        }
        return p
    }
}
