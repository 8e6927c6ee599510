import DeconflictCore
@testable import DeconflictStore
import Foundation
import Testing

/// PostgreSQL only: configuration and migrations.
@Suite struct PostgresOnlyTests {
    @Test func postgresIsConfiguredWhenRequired() {
        if ProcessInfo.processInfo.environment["DECONFLICT_REQUIRE_PG"] == "1" {
            #expect(Backend.pgSettings != nil, "DECONFLICT_REQUIRE_PG=1 but no DECONFLICT_PG_URL / PGHOST set")
        }
    }

    @Test func urlAndEnvironmentParsing() throws {
        let s = try PostgresSettings(url: "postgres://u:p%40ss@db.example:6543/deconf?schema=s1")
        #expect(s.host == "db.example" && s.port == 6543 && s.user == "u" && s.password == "p@ss")
        #expect(s.database == "deconf" && s.schema == "s1")
        #expect(throws: StoreError.self) { try PostgresSettings(url: "mysql://x") }
        #expect(throws: StoreError.self) { try PostgresSettings(url: "postgres://h/db?schema=a;drop") }
        let e = try #require(try PostgresSettings.fromEnvironment(["PGHOST": "127.0.0.1", "PGPORT": "54329", "PGUSER": "postgres"]))
        #expect(e.port == 54329 && e.host == "127.0.0.1" && e.database == "postgres")
        #expect(try PostgresSettings.fromEnvironment([:]) == nil)
        #expect(throws: StoreError.self) { try PostgresSettings.fromEnvironment(["PGPORT": "x"]) }
    }

    @Test(.enabled(if: Backend.pgSettings != nil))
    func migrationsAreVersionedAndIdempotent() async throws {
        var base = try #require(Backend.pgSettings)
        base.schema = "m_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let s = base
        let a = try await PostgresIntentStore(settings: s, maxConnections: 2)
        #expect(try await a.appliedMigrations() == PostgresMigrations.all.map(\.version))
        // Two more processes' worth of migrators at once: still one row per version.
        async let b = PostgresIntentStore(settings: s, maxConnections: 2)
        async let c = PostgresIntentStore(settings: s, maxConnections: 2)
        let (sb, sc) = try await (b, c)
        #expect(try await sb.appliedMigrations() == PostgresMigrations.all.map(\.version))
        try await sb.close(); try await sc.close()
        try await a.dropSchema(); try await a.close()
    }

    @Test func unreachableServerIsAClearError() async throws {
        let s = PostgresSettings(host: "127.0.0.1", port: 1, user: "x", database: "x", schema: "nope")
        await #expect(throws: StoreError.self) { _ = try await PostgresIntentStore(settings: s, connectTimeout: 2) }
    }
}
