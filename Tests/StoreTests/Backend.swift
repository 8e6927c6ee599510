import DeconflictCore
import DeconflictStore
import Foundation
import Testing

/// The two real backends the shared suite runs against. PostgreSQL comes from
/// DECONFLICT_PG_URL or PGHOST/PGPORT/PGUSER/PGDATABASE (scripts/test.sh starts one); each
/// test gets its own schema, dropped afterwards, because Swift Testing runs tests in parallel.
enum Backend: String, Sendable, CustomTestStringConvertible {
    /// SQLite with group commit (the default), SQLite with one transaction per write, PostgreSQL.
    case sqlite, sqliteSingle = "sqlite-1tx", postgres

    var testDescription: String { rawValue }

    static var pgSettings: PostgresSettings? { try? PostgresSettings.fromEnvironment() }

    /// SQLite always; PostgreSQL when configured (scripts/test.sh sets DECONFLICT_REQUIRE_PG=1
    /// so a missing server fails the run instead of silently skipping).
    static var all: [Backend] { pgSettings == nil ? [.sqlite, .sqliteSingle] : [.sqlite, .sqliteSingle, .postgres] }
}

struct TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "deconflict-store-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` with a fresh, empty store of `backend`, then closes and removes it.
func withStore<T>(_ backend: Backend, _ body: (any IntentStore) async throws -> T) async throws -> T {
    switch backend {
    case .sqlite, .sqliteSingle:
        let dir = TempDir()
        defer { dir.remove() }
        let store = try SQLiteIntentStore(directory: dir.path, groupCommit: backend == .sqlite)
        do {
            let r = try await body(store)
            try await store.close()
            return r
        } catch { try? await store.close(); throw error }
    case .postgres:
        guard var s = Backend.pgSettings else { throw StoreError.configuration("PostgreSQL not configured") }
        s.schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let store = try await PostgresIntentStore(settings: s, maxConnections: 12)
        do {
            let r = try await body(store)
            try await store.dropSchema()
            try await store.close()
            return r
        } catch {
            try? await store.dropSchema()
            try? await store.close()
            throw error
        }
    }
}
