import DeconflictCore
@testable import DeconflictStore
import Foundation
import Testing

/// SQLite only: the file survives close/reopen and an abrupt end of the process.
@Suite struct SQLiteDurabilityTests {
    @Test func walModeAndFullSyncByDefault() async throws {
        let dir = TempDir(); defer { dir.remove() }
        let store = try SQLiteIntentStore(directory: dir.path)
        #expect(try await store.synchronousSetting() == 2) // FULL
        try await store.close()
        let fast = try SQLiteIntentStore(directory: dir.path, durability: .normal)
        #expect(try await fast.synchronousSetting() == 1) // NORMAL
        try await fast.close()
    }

    @Test func reopenAfterCloseKeepsEverything() async throws {
        let dir = TempDir(); defer { dir.remove() }
        var written: [Intent] = []
        do {
            let store = try SQLiteIntentStore(directory: dir.path)
            for n in 0..<20 {
                written.append(try await store.put(F.proposal("i\(n)", [F.circle(dx: Double(n) * 3_000)]), key: [],
                                                   writer: "w\(n % 3)").accepted())
            }
            let upd = try await store.put(F.proposal("i0", [F.circle(r: 700)]), key: [], ovn: written[0].ovn, writer: "w0").accepted()
            written[0] = upd
            #expect(try await store.delete(id: "i19", ovn: written[19].ovn, writer: "w1") == .deleted(id: "i19"))
            written.removeLast()
            try await store.close()
        }
        let reopened = try SQLiteIntentStore(directory: dir.path)
        #expect(try await reopened.count() == written.count)
        for i in written { #expect(try await reopened.get(id: i.id) == i) }
        #expect(try await reopened.get(id: "i19") == nil)
        // The reopened store still enforces the key check on what it loaded.
        let r = try await reopened.put(F.proposal("x", [F.circle()]), key: [], writer: "other")
        #expect(r.refusal == .missingKeys([MissingKey(intentID: "i0", owner: "w0", ovn: written[0].ovn)]))
        try await reopened.close()
    }

    /// `kill -9` leaves exactly what the process had handed to the kernel: the database file
    /// and its WAL. Copy both while the writing store is still open (no close, no checkpoint —
    /// as if the process died right after acknowledging), and open the copy elsewhere.
    @Test(arguments: [SQLiteDurability.full, .normal])
    func acknowledgedWritesAreInTheFilesBeforeClose(_ durability: SQLiteDurability) async throws {
        let dir = TempDir(), copy = TempDir()
        defer { dir.remove(); copy.remove() }
        let store = try SQLiteIntentStore(directory: dir.path, durability: durability)
        var acked: [Intent] = []
        for n in 0..<50 {
            acked.append(try await store.put(F.proposal("k\(n)", [F.circle(dx: Double(n) * 3_000)]), key: [],
                                             writer: "w").accepted())
        }
        let fm = FileManager.default
        for suffix in ["", "-wal"] {
            let src = dir.path + "/intents.sqlite" + suffix
            if fm.fileExists(atPath: src) { try fm.copyItem(atPath: src, toPath: copy.path + "/intents.sqlite" + suffix) }
        }
        let crashed = try SQLiteIntentStore(directory: copy.path)
        for i in acked { #expect(try await crashed.get(id: i.id) == i) }
        try await crashed.close()
        try await store.close()
    }

    @Test func migrationsAreVersionedAndIdempotent() async throws {
        let dir = TempDir(); defer { dir.remove() }
        let store = try SQLiteIntentStore(directory: dir.path)
        #expect(try store.appliedMigrations() == SQLiteMigrations.all.map(\.version))
        try await store.close()
        let again = try SQLiteIntentStore(directory: dir.path)
        #expect(try again.appliedMigrations() == SQLiteMigrations.all.map(\.version))
        try await again.close()
    }

    @Test func unreadableDirectoryIsAClearError() async throws {
        #expect(throws: StoreError.self) { try SQLiteIntentStore(directory: "/proc/nope/deconflict") }
    }
}
