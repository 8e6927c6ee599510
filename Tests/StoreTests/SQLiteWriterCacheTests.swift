import DeconflictCore
@testable import DeconflictStore
import Foundation
import Testing

/// The SQLite writer keeps decoded rows and whole index cells in memory (SQLiteWriterCache). It
/// must never decide on a row or cell another connection has changed, nor on one changed on its
/// own connection other than through the cache, nor keep a row whose change rolled back.
@Suite struct SQLiteWriterCacheTests {
    /// Store A caches X; store B (another connection to the same file) moves X on; A must
    /// decide on B's version: the key with B's OVN is accepted, the one with A's old OVN not.
    @Test(arguments: [true, false]) func changesByAnotherConnectionAreSeen(groupCommit: Bool) async throws {
        let dir = TempDir(); defer { dir.remove() }
        let a = try SQLiteIntentStore(directory: dir.path, groupCommit: groupCommit)
        let x1 = try await a.put(F.proposal("x", [F.circle()]), key: [], writer: "red").accepted()
        // A reads X as a candidate (and caches it): a refusal listing X's first OVN.
        let r1 = try await a.put(F.proposal("y", [F.circle(dx: 500)]), key: [], writer: "blue")
        #expect(r1.refusal == .missingKeys([MissingKey(intentID: "x", owner: "red", ovn: x1.ovn)]))

        let b = try SQLiteIntentStore(directory: dir.path, groupCommit: groupCommit)
        let x2 = try await b.put(F.proposal("x", [F.circle(r: 900)]), key: [], ovn: x1.ovn, writer: "red").accepted()
        try await b.close()

        let stale = try await a.put(F.proposal("y", [F.circle(dx: 500)]), key: [x1.ovn], writer: "blue")
        #expect(stale.refusal == .missingKeys([MissingKey(intentID: "x", owner: "red", ovn: x2.ovn)]))
        let y = try await a.put(F.proposal("y", [F.circle(dx: 500)]), key: [x2.ovn], writer: "blue").accepted()
        #expect(y.version == 1)
        // And A's own later changes keep the cache exact: X deleted elsewhere is not required.
        let b2 = try SQLiteIntentStore(directory: dir.path, groupCommit: groupCommit)
        #expect(try await b2.delete(id: "x", ovn: x2.ovn, writer: "red") == .deleted(id: "x"))
        try await b2.close()
        let z = try await a.put(F.proposal("z", [F.circle(dx: -300)]), key: [y.ovn], writer: "green").accepted()
        #expect(z.version == 1)
        try await a.close()
    }

    /// Many rounds of racing updates through one store: every decision equals the core's
    /// rules on the rows as read back from a fresh connection (no stale cached row).
    @Test func cachedDecisionsMatchFreshReads() async throws {
        let dir = TempDir(); defer { dir.remove() }
        let st = try SQLiteIntentStore(directory: dir.path)
        var ovn: [String: String] = [:]
        for round in 0..<30 {
            for w in 0..<4 {
                let id = "w\(w)"
                let vol = F.circle(dx: Double((round * 7 + w * 13) % 5) * 400, r: 600)
                let others = try await st.conflicts(with: [vol]).filter { $0.owner != id }
                let r = try await st.put(F.proposal(id, [vol]), key: Set(others.map(\.ovn)), ovn: ovn[id], writer: id)
                let fresh = try SQLiteIntentStore(directory: dir.path, groupCommit: false)
                let stored = try await fresh.get(id: id)
                try await fresh.close()
                if let i = r.intent {
                    ovn[id] = i.ovn
                    #expect(stored == i)
                } else {
                    Issue.record("round \(round) writer \(w) refused: \(r)")
                }
            }
        }
        try await st.close()
    }

    /// A bulk insert runs on the writer connection but not through the rules (nor the cache):
    /// the next write must still see the inserted intent in the cell it had cached.
    @Test(arguments: [true, false]) func bulkInsertOnTheWriterIsSeen(groupCommit: Bool) async throws {
        let dir = TempDir(); defer { dir.remove() }
        let st = try SQLiteIntentStore(directory: dir.path, groupCommit: groupCommit)
        let x = try await st.put(F.proposal("x", [F.circle()]), key: [], writer: "red").accepted()
        // The writer has now loaded the cells around the circle.
        _ = try await st.put(F.proposal("y", [F.circle(dx: 400)]), key: [x.ovn], writer: "blue").accepted()
        let z = Intent(id: "z", owner: "green", ovn: "z-1", version: 1, state: .accepted, priority: 0,
                       volumes: [F.circle(dx: 200)])
        try await st.bulkInsert([z])
        let r = try await st.put(F.proposal("w", [F.circle(dx: 100)]), key: [x.ovn], writer: "white")
        guard case let .refused(.missingKeys(m)) = r else { Issue.record("expected missing keys, got \(r)"); return }
        #expect(Set(m.map(\.intentID)) == ["y", "z"])
        try await st.close()
    }

    /// A cell with more rows than the cache keeps per cell is probed in SQL: every one of them
    /// is still a candidate (the key check lists all the missing ones), before and after the
    /// cell fills up through the writer itself.
    @Test func fullCellsAreProbedInSQL() async throws {
        let dir = TempDir(); defer { dir.remove() }
        let st = try SQLiteIntentStore(directory: dir.path)
        let n = SQLiteWriterCache.perCell + 20
        let many = (0..<n - 5).map { k in
            Intent(id: "p\(k)", owner: "o\(k)", ovn: "p\(k)-1", version: 1, state: .accepted, priority: 0,
                   volumes: [F.circle(dx: Double(k % 20) * 10, r: 300)])
        }
        try await st.bulkInsert(many)
        func missing(_ r: WriteResult) -> Int {
            if case let .refused(.missingKeys(m)) = r { return m.count } else { return -1 }
        }
        #expect(missing(try await st.put(F.proposal("me", [F.circle(r: 300)]), key: [], writer: "me")) == n - 5)
        // Five more through the writer (each with the full key): the cell now holds n rows.
        var keys = Set(many.map(\.ovn))
        for k in 0..<5 {
            let i = try await st.put(F.proposal("q\(k)", [F.circle(dy: Double(k) * 10, r: 300)]), key: keys,
                                     writer: "q\(k)").accepted()
            keys.insert(i.ovn)
        }
        #expect(missing(try await st.put(F.proposal("me", [F.circle(r: 300)]), key: [], writer: "me")) == n)
        #expect(try await st.put(F.proposal("me", [F.circle(r: 300)]), key: keys, writer: "me").isAccepted)
        try await st.close()
    }
}
