import DeconflictCore
import GRDB
import GRDBSQLite

/// What the writer connection last read or wrote, kept in memory so that a write in a hot area
/// touches SQLite only to change it: decoded intents by rid (and rid by id), and the complete
/// contents of the index cells (``CellIndex``) the writer probed. A hot area's writes probe the
/// same few cells and rows again and again; reading and decoding them cost more than the rules.
///
/// Exact, not a guess: the store's writer connection is the only one that changes the file
/// from this process, and every change it makes through ``SQLiteIntentStore/apply`` updates the
/// cache (``put`` / ``remove`` for rows, ``cellsAdded`` / ``cellsRemoved`` for index rows).
/// Anything else clears it, checked at the start of every write transaction (``validate``):
/// a change by another connection or process (`PRAGMA data_version`), and a change on the
/// writer connection that did not go through the cache (`sqlite3_total_changes64` differs from
/// what the cache last recorded, e.g. a bulk insert). A rolled-back savepoint or transaction
/// clears it too (``clear``). Only used on the writer (GRDB serialises it).
final class SQLiteWriterCache: @unchecked Sendable {
    private(set) var rows: [Int64: SQLiteRows.Loaded] = [:]
    private var ridByID: [String: Int64] = [:]
    /// Cell key → every index row stored under it (rid and box), for cells loaded whole.
    private var cells: [Int64: [CellRow]] = [:]
    private var cellRows = 0
    /// Cells too full to keep (probed in SQL each time).
    private var fullCells: Set<Int64> = []
    /// Whether any index row lives above level 0 (nil: not known yet). Only ever set to true
    /// by the writer's own inserts: a stale `true` just costs probes that find nothing.
    var anyCoarse: Bool?
    private var dataVersion: Int64?
    private var totalChanges: Int64 = -1

    struct CellRow {
        var rid: Int64
        var box: Box4
    }

    /// Rows kept at most (then the cache starts over).
    static let capacity = 100_000
    /// Index rows kept at most over all cells, and per cell.
    static let cellCapacity = 200_000, perCell = 256

    /// Call at the start of each write transaction: clears the cache if the database changed
    /// other than through it.
    func validate(_ db: Database) throws {
        let v = try RawStatement(db, "PRAGMA data_version").run { st in try st.step() ? st.int64(0) : -1 }
        let n = sqlite3_total_changes64(db.sqliteConnection)
        if v != dataVersion || n != totalChanges { clear() }
        dataVersion = v
        totalChanges = n
    }

    /// Call after the writer's own changes, once the cache reflects them.
    func recordChanges(_ db: Database) { totalChanges = sqlite3_total_changes64(db.sqliteConnection) }

    /// The cached current row of intent `id`, if the cache holds it.
    func row(id: String) -> SQLiteRows.Loaded? { ridByID[id].flatMap { rows[$0] } }

    func put(_ row: SQLiteRows.Loaded) {
        if rows.count >= Self.capacity { rows.removeAll(keepingCapacity: true); ridByID.removeAll(keepingCapacity: true) }
        if let old = rows[row.rid], old.intent.id != row.intent.id { ridByID[old.intent.id] = nil }
        rows[row.rid] = row
        ridByID[row.intent.id] = row.rid
    }

    func remove(rid: Int64) {
        if let old = rows.removeValue(forKey: rid) { ridByID[old.intent.id] = nil }
    }

    /// The index rows under `cell`, loading the cell whole on first use; nil if it holds more
    /// than ``perCell`` rows (the caller probes it in SQL).
    func cell(_ cell: Int64, _ db: Database) throws -> [CellRow]? {
        if let c = cells[cell] { return c }
        if fullCells.contains(cell) { return nil }
        let loaded = try RawStatement(db, """
            SELECT rid, t0, t1, min_alt, max_alt, min_lon, max_lon, min_lat, max_lat
            FROM intent_cells WHERE cell = ? LIMIT \(Self.perCell + 1)
            """).run { st -> [CellRow] in
            st.bind(1, cell)
            var out: [CellRow] = []
            while try st.step() {
                out.append(CellRow(rid: st.int64(0), box: Box4(minLon: st.double(5), maxLon: st.double(6),
                                                               minLat: st.double(7), maxLat: st.double(8),
                                                               minAlt: st.double(3), maxAlt: st.double(4),
                                                               t0: st.double(1), t1: st.double(2))))
            }
            return out
        }
        if loaded.count > Self.perCell { fullCells.insert(cell); return nil }
        if cellRows + loaded.count > Self.cellCapacity { cells.removeAll(keepingCapacity: true); cellRows = 0 }
        cells[cell] = loaded
        cellRows += loaded.count
        return loaded
    }

    /// The writer stored index rows for `rid`: `box` under each of `keys`.
    func cellsAdded(rid: Int64, box: Box4, keys: [Int64]) {
        for k in keys {
            if k >> 40 != 0 { anyCoarse = true }
            guard var c = cells.removeValue(forKey: k) else { continue }
            c.append(CellRow(rid: rid, box: box))
            cellRows += 1
            if c.count > Self.perCell { cellRows -= c.count; fullCells.insert(k) } else { cells[k] = c }
        }
    }

    /// The writer deleted every index row of `rid` under `keys`.
    func cellsRemoved(rid: Int64, keys: [Int64]) {
        for k in keys {
            guard let c = cells[k] else { continue }
            let kept = c.filter { $0.rid != rid }
            cellRows -= c.count - kept.count
            cells[k] = kept
        }
        // A full cell may fit again after deletions; it is probed in SQL until the next clear.
    }

    func clear() {
        rows.removeAll()
        ridByID.removeAll()
        cells.removeAll()
        fullCells.removeAll()
        cellRows = 0
        anyCoarse = nil
    }
}
