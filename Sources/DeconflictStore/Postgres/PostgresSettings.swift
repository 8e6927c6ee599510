import Foundation

/// Where the PostgreSQL store connects: from a `postgres://user:pass@host:port/db` URL,
/// or from the environment (DECONFLICT_PG_URL, else PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE
/// and PGSSLMODE/PGSSLROOTCERT).
///
/// TLS follows libpq's URL parameters, stricter: `sslmode=disable` (the default, as for a
/// loopback server), `require` and `verify-full` (TLS, the server's certificate verified
/// against `sslrootcert=FILE` or the system's roots, and its name checked — libpq's
/// `require` does not verify; here TLS is always verified), `verify-ca` (verified, name not
/// checked). `allow` and `prefer` are refused: a connection that may silently fall back to
/// plain text is not offered.
public struct PostgresSettings: Sendable, Hashable {
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable
        case require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// The schema (namespace) the store's tables live in; tests give each test its own.
    public var schema: String
    /// `sslmode`: plain, or TLS with the server's certificate verified.
    public var tlsMode: TLSMode
    /// `sslrootcert`: a PEM file of the certificates that may sign the server's; nil = the
    /// system's trust roots.
    public var tlsRootCertificate: String?

    public init(host: String = "127.0.0.1", port: Int = 5432, user: String = "postgres",
                password: String? = nil, database: String = "postgres", schema: String = "public",
                tlsMode: TLSMode = .disable, tlsRootCertificate: String? = nil) {
        self.host = host; self.port = port; self.user = user
        self.password = password; self.database = database; self.schema = schema
        self.tlsMode = tlsMode; self.tlsRootCertificate = tlsRootCertificate
    }

    static func tlsMode(_ text: String) throws -> TLSMode {
        if let m = TLSMode(rawValue: text.lowercased()) { return m }
        if ["allow", "prefer"].contains(text.lowercased()) {
            throw StoreError.configuration("sslmode=\(text) may fall back to plain text: use disable, require, verify-ca or verify-full")
        }
        throw StoreError.configuration("sslmode must be disable, require, verify-ca or verify-full, found \(text.prefix(40))")
    }

    /// Parses `postgres://` / `postgresql://` URLs. Query items: `schema=` selects the schema,
    /// `sslmode=` and `sslrootcert=` the TLS mode and trust roots; any other is refused.
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
        for item in c.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "schema": if !value.isEmpty { schema = value }
            case "sslmode": tlsMode = try Self.tlsMode(value)
            case "sslrootcert": tlsRootCertificate = value.isEmpty ? nil : value
            default:
                throw StoreError.configuration("unknown parameter \(item.name.prefix(40)) in the postgres:// URL (allowed: schema, sslmode, sslrootcert)")
            }
        }
        try Self.checkIdentifier(schema)
        if tlsRootCertificate != nil, tlsMode == .disable {
            throw StoreError.configuration("sslrootcert is given but sslmode is disable: add sslmode=verify-full")
        }
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
        if let m = env["PGSSLMODE"], !m.isEmpty { s.tlsMode = try tlsMode(m) }
        if let r = env["PGSSLROOTCERT"], !r.isEmpty { s.tlsRootCertificate = r }
        return s
    }

    /// Schema names are spliced into SQL, so only plain identifiers are allowed.
    static func checkIdentifier(_ s: String) throws {
        let ok = !s.isEmpty && s.count <= 63 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            && !(s.first!.isNumber)
        if !ok { throw StoreError.configuration("schema must be a plain identifier: \(s)") }
    }
}
