import Foundation

/// Where the PostgreSQL store connects: from a `postgres://user:pass@host:port/db` URL,
/// or from the environment (DECONFLICT_PG_URL, else PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE).
public struct PostgresSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// The schema (namespace) the store's tables live in; tests give each test its own.
    public var schema: String

    public init(host: String = "127.0.0.1", port: Int = 5432, user: String = "postgres",
                password: String? = nil, database: String = "postgres", schema: String = "public") {
        self.host = host; self.port = port; self.user = user
        self.password = password; self.database = database; self.schema = schema
    }

    /// Parses `postgres://` / `postgresql://` URLs. Query item `schema=` selects the schema.
    public init(url: String) throws {
        guard let c = URLComponents(string: url),
              let scheme = c.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else { throw StoreError.configuration("not a postgres:// URL: \(url)") }
        self.init()
        if let h = c.host, !h.isEmpty { host = h }
        if let p = c.port { port = p }
        if let u = c.user, !u.isEmpty { user = u.removingPercentEncoding ?? u }
        password = c.password?.removingPercentEncoding
        let db = String(c.path.drop(while: { $0 == "/" }))
        if !db.isEmpty { database = db }
        if let s = c.queryItems?.first(where: { $0.name == "schema" })?.value, !s.isEmpty { schema = s }
        try Self.checkIdentifier(schema)
    }

    /// From DECONFLICT_PG_URL, or the libpq variables; nil if none of them is set.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresSettings? {
        if let url = env["DECONFLICT_PG_URL"], !url.isEmpty { return try PostgresSettings(url: url) }
        guard env["PGHOST"] != nil || env["PGPORT"] != nil || env["PGDATABASE"] != nil else { return nil }
        var s = PostgresSettings()
        if let h = env["PGHOST"], !h.isEmpty { s.host = h }
        if let p = env["PGPORT"] {
            guard let n = Int(p), (1...65535).contains(n) else { throw StoreError.configuration("PGPORT is not a port: \(p)") }
            s.port = n
        }
        if let u = env["PGUSER"], !u.isEmpty { s.user = u }
        s.password = env["PGPASSWORD"]
        if let d = env["PGDATABASE"], !d.isEmpty { s.database = d }
        return s
    }

    /// Schema names are spliced into SQL, so only plain identifiers are allowed.
    static func checkIdentifier(_ s: String) throws {
        let ok = !s.isEmpty && s.count <= 63 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            && !(s.first!.isNumber)
        if !ok { throw StoreError.configuration("schema must be a plain identifier: \(s)") }
    }
}
