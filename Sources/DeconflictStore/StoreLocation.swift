import Foundation

/// Which store to open, from one string (CLI flags, config files):
/// - `sqlite` — `./data/intents.sqlite`; `sqlite:DIR` — `DIR/intents.sqlite`
/// - `postgres` — from DECONFLICT_PG_URL or PGHOST/PGPORT/PGUSER/PGDATABASE
/// - `postgres://user:pass@host:port/db[?schema=name]` — that server
public enum StoreLocation: Sendable, Hashable {
    case sqlite(directory: String)
    case postgres(PostgresSettings)

    public init(parsing spec: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if spec == "sqlite" {
            self = .sqlite(directory: "data")
        } else if spec.hasPrefix("sqlite:") {
            let dir = String(spec.dropFirst("sqlite:".count))
            guard !dir.isEmpty else { throw StoreError.configuration("sqlite: needs a directory, e.g. sqlite:./data") }
            self = .sqlite(directory: dir)
        } else if spec == "postgres" || spec == "postgresql" {
            guard let s = try PostgresSettings.fromEnvironment(environment) else {
                throw StoreError.configuration("postgres: set DECONFLICT_PG_URL or PGHOST/PGPORT/PGUSER/PGDATABASE, or pass postgres://…")
            }
            self = .postgres(s)
        } else if spec.hasPrefix("postgres://") || spec.hasPrefix("postgresql://") {
            self = .postgres(try PostgresSettings(url: spec))
        } else {
            throw StoreError.configuration("unknown store '\(spec)': use sqlite, sqlite:DIR, postgres or postgres://URL")
        }
    }

    /// Opens (and migrates) the store.
    public func open(sqliteDurability: SQLiteDurability = .full, groupCommit: Bool = true,
                     maxConnections: Int = 20) async throws -> any IntentStore {
        switch self {
        case let .sqlite(dir): return try SQLiteIntentStore(directory: dir, durability: sqliteDurability, groupCommit: groupCommit)
        case let .postgres(s): return try await PostgresIntentStore(settings: s, maxConnections: maxConnections)
        }
    }
}
