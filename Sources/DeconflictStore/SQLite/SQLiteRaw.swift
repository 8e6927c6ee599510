import Foundation
import GRDB
import GRDBSQLite

/// A GRDB-cached prepared statement driven through SQLite's C API, for the store's hot paths
/// (key reads, candidate reads and index maintenance run thousands of times a second).
/// GRDB's row and argument types cost more than the statements themselves there: a cursor
/// row builds a lowercased column-name table per fetch, arguments are boxed values. Here
/// parameters are bound and columns read by index, with no allocation but the results.
///
/// Always used as `try RawStatement(db, sql).run { st in … }`: the statement is reset before
/// and after, so it never keeps a read transaction or a write statement open.
struct RawStatement {
    private let s: OpaquePointer
    private let db: Database

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        s = try db.cachedStatement(sql: sql).sqliteStatement
    }

    /// Runs `body` on the freshly reset statement, and resets it again afterwards.
    func run<T>(_ body: (RawStatement) throws -> T) throws -> T {
        sqlite3_reset(s)
        sqlite3_clear_bindings(s)
        defer { sqlite3_reset(s) }
        return try body(self)
    }

    /// Resets the statement for another execution inside `run` (bindings are kept until rebound).
    func rewind() { sqlite3_reset(s) }

    /// Executes a statement without parameters or rows (BEGIN, COMMIT, SAVEPOINT…) through
    /// the statement cache: GRDB's transaction and savepoint helpers parse their SQL and run
    /// schema checks on every call.
    static func exec(_ db: Database, _ sql: String) throws {
        try RawStatement(db, sql).run { try $0.execute() }
    }

    /// Runs `body` inside `begin` … COMMIT (ROLLBACK if `body` or the commit throws).
    static func transaction<T>(_ db: Database, begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try exec(db, begin)
        do {
            let value = try body()
            try exec(db, "COMMIT")
            return value
        } catch {
            try? exec(db, "ROLLBACK")
            throw error
        }
    }

    /// Runs `body` inside a savepoint: released if it returns, rolled back to if it throws.
    static func savepoint(_ db: Database, _ body: () throws -> Void) throws {
        try exec(db, "SAVEPOINT w")
        do {
            try body()
            try exec(db, "RELEASE w")
        } catch {
            try? exec(db, "ROLLBACK TO w")
            try? exec(db, "RELEASE w")
            throw error
        }
    }

    // Parameters are numbered from 1, as in SQLite.
    func bind(_ i: Int32, _ v: Double) { sqlite3_bind_double(s, i, v) }
    func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(s, i, v) }
    func bind(_ i: Int32, _ v: Int) { sqlite3_bind_int64(s, i, Int64(v)) }
    func bind(_ i: Int32, _ v: String) { sqlite3_bind_text(s, i, v, -1, Self.transient) }
    func bind(_ i: Int32, bytes: [UInt8]) {
        bytes.withUnsafeBytes { b in _ = sqlite3_bind_blob(s, i, b.baseAddress, Int32(b.count), Self.transient) }
    }

    /// Steps once: true if a row is available, false when done; throws on an error.
    func step() throws -> Bool {
        switch sqlite3_step(s) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw StoreError.database("SQLite error \(rc): \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
        }
    }

    /// Runs a statement that returns no rows (INSERT/UPDATE/DELETE).
    func execute() throws { while try step() {} }

    // Columns are numbered from 0, as in SQLite.
    func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(s, i) }
    func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(s, i)) }
    func double(_ i: Int32) -> Double { sqlite3_column_double(s, i) }
    func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(s, i) else { return "" }
        let n = Int(sqlite3_column_bytes(s, i))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
    /// The blob's bytes, valid until the next step or reset.
    func blob(_ i: Int32) -> UnsafeRawBufferPointer {
        let p = sqlite3_column_blob(s, i)
        let n = Int(sqlite3_column_bytes(s, i))
        return UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
