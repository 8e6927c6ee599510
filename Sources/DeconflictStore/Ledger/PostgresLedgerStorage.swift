import DeconflictLedger
import Foundation
import Logging
import PostgresNIO

/// The ledger on PostgreSQL (tables `ledger_entries`, `ledger_checkpoint`, schema v7): an
/// append is one transaction (the entries by one `UNNEST` insert, then the checkpoint), which
/// commits with the server's `synchronous_commit` (on by default: flushed to the WAL).
public final class PostgresLedgerStorage: LedgerStorage {
    public let settings: PostgresSettings
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger

    public init(settings: PostgresSettings, connectTimeout: Double = 15) async throws {
        self.settings = settings
        let logger = { var l = Logger(label: "deconflict.ledger.pg"); l.logLevel = .warning; return l }()
        self.logger = logger
        // One transaction per batch, one read at a time: two connections, one kept open.
        do {
            (client, runner) = try await startPostgresClient(settings, maximum: 2, minimum: 1,
                                                             parameters: [("synchronous_commit", "on")],
                                                             connectTimeout: connectTimeout, logger: logger)
        } catch let StoreError.database(m) {
            throw StoreError.database("ledger: \(m)")
        }
    }

    public func load() async throws -> (leafHashes: [UInt8], checkpoint: String?) {
        var hashes: [UInt8] = []
        for try await h in try await client.query("SELECT leaf_hash FROM ledger_entries ORDER BY idx", logger: logger).decode(ByteBuffer.self) {
            hashes.append(contentsOf: h.readableBytesView)
        }
        return (hashes, try await checkpoint())
    }

    public func checkpoint() async throws -> String? {
        for try await n in try await client.query("SELECT note FROM ledger_checkpoint WHERE id = 1", logger: logger).decode(String.self) {
            return n
        }
        return nil
    }

    public func append(_ entries: [StoredEntry], checkpoint: String) async throws {
        let idx = entries.map { Int64($0.index) }
        func buffers(_ k: KeyPath<StoredEntry, [UInt8]>) -> [ByteBuffer] { entries.map { ByteBuffer(bytes: $0[keyPath: k]) } }
        let entry = buffers(\.entry), leaf = buffers(\.leafHash), event = buffers(\.event), salt = buffers(\.salt)
        let size = (entries.last?.index).map { Int64($0) + 1 }
        let logger = self.logger
        try await client.withTransaction(logger: logger) { conn in
            if !entries.isEmpty {
                try await conn.query("""
                    INSERT INTO ledger_entries (idx, entry, leaf_hash, event, salt)
                    SELECT * FROM UNNEST(\(idx)::bigint[], \(entry)::bytea[], \(leaf)::bytea[], \(event)::bytea[], \(salt)::bytea[])
                    """, logger: logger)
            }
            if let size {
                try await conn.query("""
                    INSERT INTO ledger_checkpoint (id, size, note) VALUES (1, \(size), \(checkpoint))
                    ON CONFLICT (id) DO UPDATE SET size = excluded.size, note = excluded.note
                    """, logger: logger)
            } else {
                try await conn.query("""
                    INSERT INTO ledger_checkpoint (id, size, note) SELECT 1, count(*), \(checkpoint) FROM ledger_entries
                    ON CONFLICT (id) DO UPDATE SET size = excluded.size, note = excluded.note
                    """, logger: logger)
            }
        }
    }

    public func entries(from: UInt64, count: Int) async throws -> [StoredEntry] {
        let lim = Int64(min(count, Int(Int64.max)))
        let rows = try await client.query("""
            SELECT idx, entry, leaf_hash, event, salt FROM ledger_entries WHERE idx >= \(Int64(from)) ORDER BY idx LIMIT \(lim)
            """, logger: logger)
        var out: [StoredEntry] = []
        for try await (i, e, l, ev, s) in rows.decode((Int64, ByteBuffer, ByteBuffer, ByteBuffer, ByteBuffer).self) {
            out.append(StoredEntry(index: UInt64(i), entry: Array(e.readableBytesView), leafHash: Array(l.readableBytesView),
                                   event: Array(ev.readableBytesView), salt: Array(s.readableBytesView)))
        }
        return out
    }

    /// Drops the whole schema (tests: each runs in its own).
    public func dropSchema() async throws {
        try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(settings.schema)\" CASCADE"), logger: logger)
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }
}
