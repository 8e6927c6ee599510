import DeconflictCore
import Foundation
import GRDB

/// The embedded store: one SQLite file (WAL mode) through a GRDB `DatabasePool`.
///
/// Atomicity: every write runs its read (current intent + cell-index candidates), the core's
/// rule decision and its update back to back on GRDB's single writer connection, inside a write
/// transaction (with group commit, several writes share one transaction: see
/// ``SQLiteWriteBatcher``). So writes are serial: a write's key check sees every write applied
/// before it, and none can slip in between check and write. Accepted writes are acknowledged
/// after their transaction commits and, with ``SQLiteDurability/full``, after the WAL was
/// synced (``SQLiteWALSync``). Readers (get/query) run concurrently on WAL snapshots.
public final class SQLiteIntentStore: IntentStore {
    public let path: String
    public let durability: SQLiteDurability
    /// Whether writes go through the group-commit batcher (default) or one transaction each.
    public let groupCommit: Bool
    private let pool: DatabasePool
    /// Read-only connections for the hot reads (``SQLiteReaders``).
    private let readers: SQLiteReaders
    private let batcher: SQLiteWriteBatcher
    /// The writer connection's decoded rows (used only on the writer).
    private let writerCache = SQLiteWriterCache()
    /// Syncs the WAL before acknowledgements (``SQLiteDurability/full``); nil for `.normal`.
    private let walSync: SQLiteWALSync?

    /// The database file's name in its directory.
    public static let fileName = "intents.sqlite"

    /// Opens (creating if needed) `<directory>/intents.sqlite` and migrates its schema.
    public convenience init(directory: String, durability: SQLiteDurability = .full, groupCommit: Bool = true) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.configuration("cannot create data directory \(directory): \(error.localizedDescription)")
        }
        try self.init(path: (directory as NSString).appendingPathComponent(Self.fileName), durability: durability,
                      groupCommit: groupCommit)
    }

    public init(path: String, durability: SQLiteDurability = .full, groupCommit: Bool = true) throws {
        self.path = path
        self.durability = durability
        self.groupCommit = groupCommit
        var config = Configuration()
        config.label = "deconflict.intents"
        config.maximumReaderCount = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)
        // WAL readers and the writer can still meet SQLITE_BUSY in short windows (a connection
        // opening while another recovers or checkpoints the WAL): wait instead of failing.
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            // Commits never wait for the disk; `.full` syncs the WAL before acknowledging
            // (SQLiteWALSync), off the writer thread.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536") // 64 MiB per connection
            // The writer reads through a memory map (its pages stay valid: only its own commits
            // change the file). Readers do not: in WAL mode a reader drops its page cache
            // whenever another connection committed — with a map it unmaps the whole file
            // (munmap with a TLB shoot-down to the other core) and faults every page in again,
            // which in the hot-area benchmark cost more than re-reading the few pages it
            // needs with pread(2) (3,100–3,400 → 3,750–4,250 writes/s, docs/store.md).
            try db.execute(sql: "PRAGMA mmap_size = \(db.configuration.readonly ? 0 : 2_147_483_648)")
        }
        readers = SQLiteReaders(path: path, configuration: config, limit: config.maximumReaderCount)
        do {
            pool = try DatabasePool(path: path, configuration: config)
            let mode = try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            guard mode?.lowercased() == "wal" else { throw StoreError.configuration("journal_mode is \(mode ?? "?"), not WAL") }
            try SQLiteMigrator.migrate(pool)
            let walSync = try durability == .full ? SQLiteWALSync(databasePath: path) : nil
            if let walSync { try walSync.syncNow() } // the migrations, if any
            self.walSync = walSync
            batcher = SQLiteWriteBatcher(pool: pool, walSync: walSync, cache: writerCache)
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError.database("opening \(path): \(error)")
        }
    }

    /// The schema versions recorded in the file.
    public func appliedMigrations() throws -> [Int] { try SQLiteMigrator.appliedVersions(pool) }

    /// What `PRAGMA synchronous` reports on the writer (1 = NORMAL, 2 = FULL).
    public func synchronousSetting() async throws -> Int {
        try await pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// fdatasyncs of the WAL done before acknowledgements so far (0 with `.normal`; tests).
    public var walSyncCount: Int { walSync?.syncCount ?? 0 }

    public func write(_ write: IntentWrite, writer: String) async throws -> WriteResult {
        if groupCommit { return try await batcher.submit(write, writer: writer) }
        let cache = writerCache
        do {
            let result = try await pool.write { db in
                try cache.validate(db)
                return try Self.apply(write, writer: writer, cache: cache, db)
            }
            if result.isAccepted { try await walSync?.sync() }
            return result
        } catch {
            cache.clear() // the transaction may have rolled back what the cache holds
            throw error as? StoreError ?? StoreError.database("\(error)")
        }
    }

    /// Decide and apply one write inside the caller's write transaction. With `savepoint`, an
    /// accepted write's changes are made inside a savepoint (so a failure midway leaves the
    /// shared group-commit transaction as it was); refusals change nothing and need none.
    static func apply(_ w: IntentWrite, writer: String, savepoint: Bool = false, cache: SQLiteWriterCache,
                      _ db: Database) throws -> WriteResult {
        func changes(_ body: () throws -> Void) throws {
            do {
                if savepoint { try RawStatement.savepoint(db, body) } else { try body() }
                cache.recordChanges(db)
            } catch {
                cache.clear() // the cache may hold rows that were just rolled back
                throw error
            }
        }
        let current = try cache.row(id: w.intentID) ?? SQLiteRows.fetch(id: w.intentID, db).map { cache.put($0); return $0 }
        // Candidates: intents with a box overlapping a box of the new or the old volumes.
        let newBoxes = StoreRules.newBoxes(w)
        let boxes = (newBoxes ?? []) + (current.flatMap { VolumeBounds.boxes($0.intent.volumes) } ?? [])
        let candidates = try SQLiteRows.candidates(boxes, excluding: w.intentID, cache: cache, db).map(\.intent)
        let decision = StoreRules.decide(w, writer: writer, current: current?.intent, candidates: candidates,
                                         newBoxes: newBoxes)
        guard let change = decision.change else { return decision.result }
        try changes {
            switch change {
            case let .insert(stored):
                let rid = try SQLiteRows.insert(stored, cache: cache, db)
                cache.put(SQLiteRows.Loaded(rid: rid, intent: stored))
            case let .update(stored, previous):
                let rid = try currentRow(current, of: change).rid
                try SQLiteRows.update(rid: rid, old: previous.volumes, stored, cache: cache, db)
                cache.put(SQLiteRows.Loaded(rid: rid, intent: stored))
            case let .delete(previous):
                let rid = try currentRow(current, of: change).rid
                try SQLiteRows.delete(rid: rid, old: previous.volumes, cache: cache, db)
                cache.remove(rid: rid)
            }
        }
        return decision.result
    }

    /// The row an update or delete was decided on (its `previous` is that row's intent: the
    /// rules only decide those on a current row).
    private static func currentRow(_ current: SQLiteRows.Loaded?, of change: IntentChange) throws -> SQLiteRows.Loaded {
        guard let current else { throw StoreError.database("intent \(change.id): changed without a stored row") }
        return current
    }

    public func get(id: String) async throws -> Intent? {
        try await read { db in try SQLiteRows.fetch(id: id, db)?.intent }
    }

    public func query(area: Box4) async throws -> [Intent] {
        guard area.isValid else { return [] }
        return try await read { db in try SQLiteRows.candidates([area], db).map(\.intent) }
    }

    public func conflicts(with volumes: [Volume4D]) async throws -> [Intent] {
        guard let boxes = VolumeBounds.boxes(volumes) else { return [] }
        return try await read { db in
            try SQLiteRows.candidates(boxes, db).map(\.intent).filter {
                $0.state.isCurrent && StoreRules.intersects($0.volumes, volumes)
            }
        }
    }

    public func intents(owner: String, endingAfter: Double, limit: Int) async throws -> [Intent] {
        guard limit > 0 else { return [] }
        return try await read { db in try SQLiteRows.intents(owner: owner, endingAfter: endingAfter, limit: limit, db) }
    }

    public func count() async throws -> Int {
        // A full count can take tens of milliseconds: GRDB's async read, not a blocked thread.
        do { return try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM intents") ?? 0 } }
        catch { throw StoreError.database("\(error)") }
    }

    public func bulkInsert(_ intents: [Intent]) async throws {
        for chunk in stride(from: 0, to: intents.count, by: 5_000) {
            let part = Array(intents[chunk..<min(chunk + 5_000, intents.count)])
            do {
                try await pool.write { db in for i in part { try SQLiteRows.insert(i, db) } }
            } catch { throw StoreError.database("bulk insert: \(error)") }
        }
        try await walSync?.sync()
    }

    public func close() async throws {
        do {
            try readers.close()
            try pool.close()
        } catch { throw StoreError.database("close: \(error)") }
    }

    /// A read on a read-only connection in its own snapshot (BEGIN … COMMIT through cached
    /// statements: GRDB's `read` adds query_only pragmas and parses its BEGIN/COMMIT each time).
    private static func syncRead<T>(_ readers: SQLiteReaders, _ body: (Database) throws -> T) throws -> T {
        try readers.read { db in try RawStatement.transaction(db) { try body(db) } }
    }

    /// Reads run synchronously on the calling thread (no thread hop). GRDB's async `read`
    /// hops three times (semaphore queue, reader queue, back to the task), which on a busy
    /// 2-core machine cost more than the sub-millisecond read itself. The block never
    /// suspends, so holding a reader connection while blocking a cooperative thread cannot
    /// deadlock; readers never wait for the writer (WAL).
    private func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do { return try Self.syncRead(readers, body) } catch let e as StoreError { throw e } catch {
            throw StoreError.database("\(error)")
        }
    }
}
