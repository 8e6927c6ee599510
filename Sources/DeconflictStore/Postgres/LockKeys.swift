/// The advisory locks a PostgreSQL write takes before it reads and checks.
///
/// Space is cut into a fixed 0.1° grid. A write covering at most ``maxFineCells`` cells takes
/// the global key in SHARED mode and each of its cells EXCLUSIVELY; a larger write takes the
/// global key EXCLUSIVELY (hierarchical locking). Two writes whose boxes touch share a cell,
/// or one of them holds the global key exclusively: either way they serialise. Keys are taken
/// in ascending order (shared list, then exclusive list) so writers cannot deadlock.
struct LockKeys: Sendable, Equatable {
    var shared: [Int64]
    var exclusive: [Int64]

    static let cellDeg = 0.1
    static let maxFineCells = 256
    /// "DC" in the top bits: keeps our advisory keys apart from other users of the database.
    static let namespace: Int64 = 0x4443 << 48
    static let global: Int64 = namespace

    static func forBoxes(_ boxes: [Box4]) -> LockKeys {
        var cells = Set<Int64>()
        for b in boxes {
            let lat0 = Int64((b.minLat / cellDeg).rounded(.down)), lat1 = Int64((b.maxLat / cellDeg).rounded(.down))
            let lon0 = Int64((b.minLon / cellDeg).rounded(.down)), lon1 = Int64((b.maxLon / cellDeg).rounded(.down))
            let n = (lat1 - lat0 + 1) * (lon1 - lon0 + 1)
            if n > Int64(maxFineCells) || n <= 0 { return LockKeys(shared: [], exclusive: [global]) }
            for la in lat0...lat1 {
                for lo in lon0...lon1 {
                    cells.insert(namespace | 1 << 32 | ((la + 1000) << 12) | (lo + 2000))
                    if cells.count > maxFineCells { return LockKeys(shared: [], exclusive: [global]) }
                }
            }
        }
        return LockKeys(shared: [global], exclusive: cells.sorted())
    }
}
