import DeconflictCore
@testable import DeconflictStore
import Foundation
import Testing

/// SQLite only: the file survives close/reopen and an abrupt end of the process.
@Suite struct SQLiteDurabilityTests {
    /// Commits never wait for the disk (synchronous=NORMAL on the writer); with the default
    /// durability every acknowledged change waited for an fdatasync of the WAL (one per
    /// acknowledged batch at most), refusals for none; with `.normal` nothing is synced.
    @Test(arguments: [true, false]) func walModeAndSyncBeforeAcknowledgement(groupCommit: Bool) async throws {
        let dir = TempDir(); defer { dir.remove() }
        let store = try SQLiteIntentStore(directory: dir.path, groupCommit: groupCommit)
        #expect(store.durability == .full)
        #expect(try await store.synchronousSetting() == 1) // NORMAL: the sync is ours
        var syncs = store.walSyncCount
        let a = try await store.put(F.proposal("a", [F.circle()]), key: [], writer: "w1").accepted()
        #expect(store.walSyncCount > syncs)
        syncs = store.walSyncCount
        let refused = try await store.put(F.proposal("b", [F.circle()]), key: [], writer: "w2")
        #expect(refused.refusal != nil)
        #expect(store.walSyncCount == syncs) // a refusal changed nothing: no sync
        // Eight concurrent accepted writes: acknowledged after syncs, fewer syncs than writes
        // is allowed (one sync covers every commit before it), none is acknowledged without.
        syncs = store.walSyncCount
        try await withThrowingTaskGroup(of: Void.self) { g in
            for n in 0..<8 {
                g.addTask { _ = try await store.put(F.proposal("c\(n)", [F.circle(dx: Double(n + 1) * 20_000)]), key: [], writer: "w\(n)").accepted() }
            }
            try await g.waitForAll()
        }
        #expect(store.walSyncCount > syncs)
        _ = try await store.delete(id: "a", ovn: a.ovn, writer: "w1")
        try await store.close()
        let fast = try SQLiteIntentStore(directory: dir.path, durability: .normal, groupCommit: groupCommit)
        #expect(try await fast.synchronousSetting() == 1)
        _ = try await fast.put(F.proposal("d", [F.circle()]), key: [], writer: "w1").accepted()
        #expect(fast.walSyncCount == 0)
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
