import DeconflictLedger
import Foundation
import GRDB

/// The ledger on SQLite: `ledger.sqlite` beside `intents.sqlite` (its own file, so its
/// commits never queue behind intent writes), WAL with `synchronous=FULL`: an append returns
/// after its transaction (entries + checkpoint) is fsync'ed.
public final class SQLiteLedgerStorage: LedgerStorage {
    public static let fileName = "ledger.sqlite"
    public let path: String
    private let queue: DatabaseQueue

    static let migrations: [Migration] = Migration.load([
        ("ledger-v1-entries.sql", PackageResources.ledger_v1_entries_sql),
    ])

    public convenience init(directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.configuration("cannot create data directory \(directory): \(error.localizedDescription)")
        }
        try self.init(path: (directory as NSString).appendingPathComponent(Self.fileName))
    }

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.label = "deconflict.ledger"
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try SQLiteMigrator.migrate(queue, migrations: Self.migrations, steps: [:])
        } catch {
            throw StoreError.database("opening \(path): \(error)")
        }
    }

    public func load() async throws -> (leafHashes: [UInt8], checkpoint: String?) {
        try await queue.read { db in
            var hashes: [UInt8] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT leaf_hash FROM ledger_entries ORDER BY idx")
            while let r = try rows.next() {
                let d: Data = r[0]
                hashes.append(contentsOf: d)
            }
            return (hashes, try String.fetchOne(db, sql: "SELECT note FROM ledger_checkpoint WHERE id = 1"))
        }
    }

    public func checkpoint() async throws -> String? {
        try await queue.read { db in try String.fetchOne(db, sql: "SELECT note FROM ledger_checkpoint WHERE id = 1") }
    }

    public func append(_ entries: [StoredEntry], checkpoint: String) async throws {
        let size = (entries.last?.index).map { Int64($0) + 1 }
        try await queue.write { db in
            let st = try db.cachedStatement(sql: "INSERT INTO ledger_entries (idx, entry, leaf_hash, event, salt) VALUES (?, ?, ?, ?, ?)")
            for e in entries {
                try st.execute(arguments: [Int64(e.index), Data(e.entry), Data(e.leafHash), Data(e.event), Data(e.salt)])
            }
            let n = try size ?? (Int64.fetchOne(db, sql: "SELECT count(*) FROM ledger_entries") ?? 0)
            try db.execute(sql: "INSERT INTO ledger_checkpoint (id, size, note) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET size = excluded.size, note = excluded.note",
                           arguments: [n, checkpoint])
        }
    }

    public func entries(from: UInt64, count: Int) async throws -> [StoredEntry] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT idx, entry, leaf_hash, event, salt FROM ledger_entries WHERE idx >= ? ORDER BY idx LIMIT ?",
                             arguments: [Int64(from), Int64(min(count, Int(Int64.max)))]).map { r in
                StoredEntry(index: UInt64(r[0] as Int64), entry: Array(r[1] as Data), leafHash: Array(r[2] as Data),
                            event: Array(r[3] as Data), salt: Array(r[4] as Data))
            }
        }
    }

    public func close() async throws { try queue.close() }
}
