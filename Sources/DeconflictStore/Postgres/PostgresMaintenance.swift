import DeconflictCore
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL store's bulk loading, diagnostics for tests, and schema removal.
extension PostgresIntentStore {
    public func bulkInsert(_ intents: [Intent]) async throws {
        let logger = self.logger
        for start in stride(from: 0, to: intents.count, by: 5_000) {
            let part = Array(intents[start..<min(start + 5_000, intents.count)])
            try await withConnectionErrors {
                try await self.client.withTransaction(logger: logger) { conn in
                    try await Self.insert(part, conn: conn, logger: logger)
                }
            }
        }
    }

    /// What `deconflict_cells` (the SQL twin of CellIndex.storedCells, used for index rows)
    /// gives for a box, sorted (tests compare the two).
    func sqlStoredCells(_ b: Box4) async throws -> [Int64] {
        let rows = try await client.query(
            "SELECT deconflict_cells(\(b.minLon), \(b.maxLon), \(b.minLat), \(b.maxLat))", logger: logger)
        var out: [Int64] = []
        for try await c in rows.decode(Int64.self) { out.append(c) }
        return out.sorted()
    }

    /// The source of a function of this store's schema (tests).
    func functionSource(_ name: String) async throws -> String {
        var out = ""
        for try await src in try await client.query("""
            SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proname = \(name) AND n.nspname = \(settings.schema)
            """, logger: logger).decode(String.self) { out += src }
        return out
    }

    /// A setting as a fresh statement on one of the store's connections sees it (tests).
    func setting(_ name: String) async throws -> String {
        var out = ""
        for try await v in try await client.query("SELECT current_setting(\(name))", logger: logger).decode(String.self) { out = v }
        return out
    }

    /// Drops this store's schema (tests).
    public func dropSchema() async throws {
        try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(settings.schema)\" CASCADE"), logger: logger)
    }

    func withConnectionErrors<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as StoreError { throw e } catch {
            throw StoreError.database(String(reflecting: error))
        }
    }
}

/// Runs `body`, failing with a timeout error if it takes longer (postgres-nio's pool keeps
/// retrying an unreachable server; a store that cannot connect must fail clearly instead).
func withTimeout<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { g in
        g.addTask { try await body() }
        g.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw StoreError.database("timed out after \(Int(seconds)) s")
        }
        let first = try await g.next()!
        g.cancelAll()
        return first
    }
}

/// A PostgreSQL client for `settings` (TLS as ``PostgresIntentStore/tls(_:)`` derives it, the
/// schema as search path, no keep-alive pings), running, reached within `connectTimeout` and
/// migrated: the one start-up of the intent store's and the ledger's clients. `minimum`
/// connections are opened at start and kept. On failure the client is stopped and the error
/// names the server.
func startPostgresClient(_ settings: PostgresSettings, maximum: Int, minimum: Int,
                         parameters: [(String, String)], connectTimeout: Double,
                         logger: Logger) async throws -> (client: PostgresClient, runner: Task<Void, Never>) {
    var config = PostgresClient.Configuration(host: settings.host, port: settings.port, username: settings.user,
                                              password: settings.password, database: settings.database,
                                              tls: try PostgresIntentStore.tls(settings))
    config.options.maximumConnections = maximum
    config.options.minimumConnections = minimum
    config.options.keepAliveBehavior = nil
    config.options.additionalStartupParameters = [("search_path", "\"\(settings.schema)\"")] + parameters
    config.options.connectTimeout = .seconds(5)
    let client = PostgresClient(configuration: config, backgroundLogger: logger)
    let runner = Task { await client.run() }
    do {
        // The timeout covers reaching the server, not migrating: a backfill of a large
        // store (schema v3 on 1M intents: ~20 s) must not be cut off.
        try await withTimeout(seconds: connectTimeout) {
            _ = try await client.query("SELECT 1", logger: logger).collect()
        }
        try await PostgresMigrator.migrate(client, schema: settings.schema, logger: logger)
    } catch {
        runner.cancel()
        throw StoreError.database("connecting to \(settings.host):\(settings.port)/\(settings.database): \(String(reflecting: error))")
    }
    return (client, runner)
}
