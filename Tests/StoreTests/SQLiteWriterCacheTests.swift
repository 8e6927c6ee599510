import DeconflictCore
@testable import DeconflictStore
import Foundation
import Testing

/// The SQLite writer keeps decoded candidate rows in memory (SQLiteWriterCache). It must never
/// decide on a row another connection has changed, nor keep a row whose change rolled back.
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
}
