import DeconflictStore
import Testing

/// The one parser of store strings (`--store`, bench, config).
@Suite struct StoreLocationTests {
    let noEnv: [String: String] = [:]

    @Test func sqlite() throws {
        #expect(try StoreLocation(parsing: "sqlite", environment: noEnv) == .sqlite(directory: "data"))
        #expect(try StoreLocation(parsing: "sqlite", dataDirectory: "/srv/dc", environment: noEnv) == .sqlite(directory: "/srv/dc"))
        // An explicit directory wins over the data directory.
        #expect(try StoreLocation(parsing: "sqlite:/tmp/x", dataDirectory: "/srv/dc", environment: noEnv)
            == .sqlite(directory: "/tmp/x"))
        #expect(try StoreLocation(parsing: "sqlite:rel/dir", environment: noEnv) == .sqlite(directory: "rel/dir"))
        #expect(try StoreLocation(parsing: "sqlite", dataDirectory: "/srv/dc", environment: noEnv).description
            == "sqlite:/srv/dc/intents.sqlite")
    }

    @Test func postgres() throws {
        let url = try StoreLocation(parsing: "postgres://u:secret@db.example:6543/deconf?schema=s1", environment: noEnv)
        #expect(url == .postgres(PostgresSettings(host: "db.example", port: 6543, user: "u", password: "secret",
                                                  database: "deconf", schema: "s1")))
        #expect(url.description == "postgres://u:***@db.example:6543/deconf?schema=s1")
        #expect(try StoreLocation(parsing: "postgresql://h/db", environment: noEnv) == .postgres(PostgresSettings(host: "h", database: "db")))
        // Bare `postgres`: the environment.
        let env = try StoreLocation(parsing: "postgres", environment: ["PGHOST": "10.0.0.5", "PGPORT": "5433", "PGPASSWORD": "pw"])
        #expect(env == .postgres(PostgresSettings(host: "10.0.0.5", port: 5433, password: "pw")))
        #expect(env.description == "postgres://postgres:***@10.0.0.5:5433/postgres")
        #expect(try StoreLocation(parsing: "postgresql", environment: ["DECONFLICT_PG_URL": "postgres://a@b/c"])
            == .postgres(PostgresSettings(host: "b", user: "a", database: "c")))
    }

    @Test func badValues() throws {
        for spec in ["", "mysql://x", "sqlite3", "SQLite", "postgres:", "pg"] {
            #expect(throws: StoreError.self) { try StoreLocation(parsing: spec, environment: noEnv) }
            do { _ = try StoreLocation(parsing: spec, environment: noEnv) } catch let e as StoreError {
                guard case .unknownStore(spec) = e else { Issue.record("\(spec): \(e)"); continue }
                #expect(e.description == "store configuration: unknown store '\(spec)': use sqlite, sqlite:DIR, postgres or postgres://URL")
            }
        }
        // Recognised but malformed: a configuration error naming the problem.
        for (spec, says) in [("sqlite:", "needs a directory"), ("postgres", "set DECONFLICT_PG_URL"),
                             ("postgres://h/db?schema=a;drop", "plain identifier")] {
            do {
                _ = try StoreLocation(parsing: spec, environment: noEnv)
                Issue.record("\(spec) parsed")
            } catch let StoreError.configuration(m) {
                #expect(m.contains(says), "\(spec): \(m)")
            }
        }
        #expect(StoreLocation.redacted("postgres://u:secret@h/db") == "postgres://u:***@h/db")
        #expect(StoreLocation.redacted("postgres://h/db") == "postgres://h/db")
    }
}
