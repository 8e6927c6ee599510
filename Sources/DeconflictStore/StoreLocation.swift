import Foundation

/// Which store to open, from one string (the `--store` flags, config files) — the one parser of
/// store strings:
/// - `sqlite` — `intents.sqlite` in the data directory (`dataDirectory`, `./data` by default);
///   `sqlite:DIR` — `DIR/intents.sqlite`
/// - `postgres` — from DECONFLICT_PG_URL or PGHOST/PGPORT/PGUSER/PGDATABASE
/// - `postgres://user:pass@host:port/db[?schema=name&sslmode=verify-full&sslrootcert=FILE]` — that server
///
/// Parsing reads the environment (for `postgres`) but touches neither disk nor network.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(directory: String)
    case postgres(PostgresSettings)

    /// The accepted forms, for messages.
    public static let choices = "sqlite, sqlite:DIR, postgres or postgres://URL"

    /// Parses `spec`; a bare `sqlite` means `dataDirectory`. Throws ``StoreError/unknownStore(_:)``
    /// for a string that names no store, ``StoreError/configuration(_:)`` for a malformed one.
    public init(parsing spec: String, dataDirectory: String = "data",
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if spec == "sqlite" {
            self = .sqlite(directory: dataDirectory)
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
            throw StoreError.unknownStore(spec)
        }
    }

    /// For logs and errors: `sqlite:` and the SQLite file, or the PostgreSQL server as a URL
    /// without its password.
    public var description: String {
        switch self {
        case let .sqlite(dir):
            return "sqlite:" + (dir as NSString).appendingPathComponent(SQLiteIntentStore.fileName)
        case let .postgres(s):
            var c = URLComponents()
            c.scheme = "postgres"
            c.user = s.user
            c.password = s.password == nil ? nil : "***"
            c.host = s.host
            c.port = s.port
            c.path = "/" + s.database
            var items: [URLQueryItem] = []
            if s.schema != PostgresSettings().schema { items.append(URLQueryItem(name: "schema", value: s.schema)) }
            if s.tlsMode != .disable { items.append(URLQueryItem(name: "sslmode", value: s.tlsMode.rawValue)) }
            if let r = s.tlsRootCertificate { items.append(URLQueryItem(name: "sslrootcert", value: r)) }
            if !items.isEmpty { c.queryItems = items }
            return c.string ?? "postgres://…"
        }
    }

    /// A store string as given, its password (if any) masked: for messages about a string
    /// that did not parse.
    public static func redacted(_ spec: String) -> String {
        guard var c = URLComponents(string: spec), c.password != nil else { return spec }
        c.password = "***"
        return c.string ?? "postgres://…"
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
