import DeconflictCore
/// The advisory locks a PostgreSQL write takes before it reads and checks.
///
/// Three granularities, locked hierarchically:
/// - a write whose boxes touch at most ``maxCells`` FINE cells (0.01°, ~1 km) takes the global
///   key and the COARSE (0.1°) cells of its boxes in SHARED mode and its fine cells EXCLUSIVELY;
/// - else, if they touch at most ``maxCells`` coarse cells: the global key SHARED and its coarse
///   cells EXCLUSIVELY;
/// - else the global key EXCLUSIVELY.
///
/// Two writes whose boxes overlap share a point p: both fine → both hold fine(p) exclusively;
/// both coarse → coarse(p); fine vs coarse → the fine one holds coarse(p) shared (computed from
/// its boxes with the same function, not derived from its fine cells), the coarse one
/// exclusively; global exclusive conflicts with everyone's shared global. Either way they
/// serialise. Keys sort global < coarse < fine, and each write takes its shared list then its
/// exclusive list, both ascending — one global order, so writers cannot deadlock.
struct LockKeys: Sendable, Equatable {
    var shared: [Int64]
    var exclusive: [Int64]

    static let coarseDeg = 0.1
    static let fineDeg = 0.01
    static let maxCells = 256
    /// "DC" in the top bits: keeps our advisory keys apart from other users of the database.
    static let namespace: Int64 = 0x4443 << 48
    static let global: Int64 = namespace

    /// The cells of `boxes` at `deg` degrees, as keys; nil if more than `maxCells`.
    static func cells(_ boxes: [Box4], deg: Double, fine: Bool) -> Set<Int64>? {
        var cells = Set<Int64>()
        for b in boxes {
            let lat0 = Int64((b.minLat / deg).rounded(.down)), lat1 = Int64((b.maxLat / deg).rounded(.down))
            let lon0 = Int64((b.minLon / deg).rounded(.down)), lon1 = Int64((b.maxLon / deg).rounded(.down))
            let n = (lat1 - lat0 + 1) * (lon1 - lon0 + 1)
            if n > Int64(maxCells) || n <= 0 { return nil }
            for la in lat0...lat1 {
                for lo in lon0...lon1 {
                    cells.insert(fine ? namespace | 2 << 32 | ((la + 10_000) << 16) | (lo + 20_000)
                                      : namespace | 1 << 32 | ((la + 1_000) << 12) | (lo + 2_000))
                    if cells.count > maxCells { return nil }
                }
            }
        }
        return cells
    }

    /// `fine` false: at most the coarse granularity (fewer keys to take, e.g. for a batch of
    /// writes in one area; any two lock sets still conflict when their boxes overlap).
    static func forBoxes(_ boxes: [Box4], fine allowFine: Bool = true) -> LockKeys {
        guard boxes.allSatisfy(\.isValid) else { return LockKeys(shared: [], exclusive: [global]) }
        guard let coarse = cells(boxes, deg: coarseDeg, fine: false) else {
            return LockKeys(shared: [], exclusive: [global])
        }
        if allowFine, let fine = cells(boxes, deg: fineDeg, fine: true) {
            return LockKeys(shared: [global] + coarse.sorted(), exclusive: fine.sorted())
        }
        return LockKeys(shared: [global], exclusive: coarse.sorted())
    }

    /// Whether two lock sets conflict (some key exclusive in one and held in any mode by the other).
    func conflicts(with o: LockKeys) -> Bool {
        let mine = Set(shared).union(exclusive), theirs = Set(o.shared).union(o.exclusive)
        return !Set(exclusive).isDisjoint(with: theirs) || !Set(o.exclusive).isDisjoint(with: mine)
    }
}
