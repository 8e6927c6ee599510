@testable import DeconflictStore
import Foundation
import Testing

/// The schema migrations as .sql files (Sources/DeconflictStore/Migrations/{postgres,sqlite}).
@Suite struct MigrationFileTests {
    /// FNV-1a (64 bit) of a migration's name and statements, NUL-separated.
    static func fingerprint(_ m: Migration) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in ([m.name] + m.statements).joined(separator: "\0").utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// Databases migrated before the SQL moved into files ran exactly these statements (the
    /// fingerprints of the Swift literals they replaced): a version, once released, never
    /// changes — a schema change is a new file.
    @Test func releasedMigrationsAreUnchanged() {
        #expect(PostgresMigrations.all.map { [$0.version, $0.statements.count] } == [[1, 5], [2, 1], [3, 9], [4, 3], [5, 1], [6, 2], [7, 2]])
        #expect(PostgresMigrations.all.map(Self.fingerprint) == [0x0971_295a_0a80_45fa, 0x498d_42f6_d009_81c8, 0x5c0b_eac1_7029_1afd,
                                                                  0x1e7b_cca6_6b7b_a5a0, 0x663b_abfa_dfe6_732d, 0xd0f7_5b0e_7bc0_46c6,
                                                                  0x46ee_1d2d_924f_964a])
        #expect(SQLiteMigrations.all.map { [$0.version, $0.statements.count] } == [[1, 2], [2, 1], [3, 2]])
        #expect(SQLiteMigrations.all.map(Self.fingerprint) == [0x40c1_3b60_db48_82d1, 0x498d_42f6_d009_81c8, 0x53df_f45c_2291_3ab2])
    }

    /// Every file in the two directories is one of the migrations (a file added but not listed
    /// in PostgresMigrations / SQLiteMigrations would silently never run).
    @Test func everyFileIsListed() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/DeconflictStore/Migrations")
        for (dir, all) in [("postgres", PostgresMigrations.all), ("sqlite", SQLiteMigrations.all),
                           ("sqlite-ledger", SQLiteLedgerStorage.migrations)] {
            let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(dir).path)
                .filter { $0.hasSuffix(".sql") }
            #expect(files.count == all.count, "\(dir): \(files.sorted())")
            for m in all { #expect(files.contains { $0.contains("-v\(m.version)-") }, "\(dir) v\(m.version)") }
        }
    }

    @Test func fileFormat() throws {
        let m = try Migration(file: "t.sql", sql: """
            -- migration 7: a name: with a colon
            -- commentary

            CREATE TABLE t (
                a INT -- kept: inside the statement
            )
            ;
            -- more commentary
            SELECT 1
            ;
            -- trailing commentary

            """)
        #expect(m == Migration(version: 7, name: "a name: with a colon",
                               statements: ["CREATE TABLE t (\n    a INT -- kept: inside the statement\n)", "SELECT 1"]))
        for bad in ["CREATE TABLE t (a INT)\n;", "-- migration x: n\nSELECT 1\n;", "-- migration 1: n\nSELECT 1",
                    "-- migration 1: n\n;", "-- migration 1: n\n-- nothing"] {
            #expect(throws: StoreError.self, "\(bad)") { try Migration(file: "t.sql", sql: bad) }
        }
    }
}
