import DeconflictCore
import GRDB

/// Decoded intents as the writer connection last read or wrote them, by rid: the candidate
/// reads of a hot area hit the same few rows on every write, and decoding them (strings,
/// volumes) cost more than finding them.
///
/// Exact, not a guess: the store's writer connection is the only one that changes the file
/// from this process, and every change it makes goes through ``SQLiteIntentStore/apply`` which
/// updates the cache (``put`` after insert/update, ``remove`` after delete). Anything else
/// clears it: a rolled-back savepoint or transaction (``clear``), and a change by another
/// connection or process, seen through `PRAGMA data_version` at the start of every write
/// transaction (``validate``). Only used on the writer (GRDB serialises it).
final class SQLiteWriterCache: @unchecked Sendable {
    private(set) var rows: [Int64: SQLiteRows.Loaded] = [:]
    private var dataVersion: Int64?
    /// Entries kept at most (then the cache starts over).
    static let capacity = 100_000

    /// Call at the start of each write transaction: clears the cache if another connection
    /// changed the database since the last call.
    func validate(_ db: Database) throws {
        let v = try RawStatement(db, "PRAGMA data_version").run { st in try st.step() ? st.int64(0) : -1 }
        if v != dataVersion { rows.removeAll(); dataVersion = v }
    }

    func put(_ row: SQLiteRows.Loaded) {
        if rows.count >= Self.capacity { rows.removeAll(keepingCapacity: true) }
        rows[row.rid] = row
    }

    func remove(rid: Int64) { rows[rid] = nil }

    func clear() { rows.removeAll() }
}
