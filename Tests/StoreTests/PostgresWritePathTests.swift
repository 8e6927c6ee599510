import DeconflictCore
@testable import DeconflictStore
import Foundation
import Testing

/// PostgreSQL only: the batched write path (docs/store.md, PostgreSQL atomicity) — writes
/// decided on an unlocked read or on the drainer's cache are applied by
/// `deconflict_apply_batch` only if every row the decisions relied on is unchanged under the
/// locks and no other intent has entered the probe; else nothing is written, the batch is
/// decided again on a fresh read, and after 3 such answers each write takes the locked path.
@Suite(.enabled(if: Backend.pgSettings != nil)) struct PostgresWritePathTests {
    /// A store, and a second one on the same schema: "another process", whose writes the
    /// first store's cache does not see (and which the hooks make between a decision and its
    /// apply).
    func withPG<T>(_ body: (PostgresIntentStore, PostgresIntentStore) async throws -> T) async throws -> T {
        var s = try #require(Backend.pgSettings)
        s.schema = "w_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let store = try await PostgresIntentStore(settings: s, maxConnections: 4)
        let other = try await PostgresIntentStore(settings: s, maxConnections: 2)
        do {
            let r = try await body(store, other)
            try await store.dropSchema(); try await store.close(); try await other.close()
            return r
        } catch {
            try? await store.dropSchema(); try? await store.close(); try? await other.close()
            throw error
        }
    }

    /// The plan of ONE write as a batch decided on `seen` (the rows a read returned) would be.
    func plan(_ w: IntentWrite, writer: String, seen: [Intent]) throws -> PostgresBatchPlan {
        let writes = [(w, writer)]
        let known = PostgresRowSet(rows: seen, absentIDs: [w.intentID])
        guard case let .plan(p) = PostgresBatchPlan.decide(writes, known: known,
                                                           probe: PostgresBatchPlan.probe(writes, known: known)) else {
            throw TestFailure("needs a wider probe")
        }
        return p
    }

    /// deconflict_apply_batch commits without waiting for the disk (its own transaction only), so an
    /// applied write is acknowledged only after a WAL flush that began after it; a refusal
    /// wrote nothing and waits for none.
    @Test func appliedWritesWaitForAFlushRefusalsDoNot() async throws {
        try await withPG { store, _ in
            let src = try await store.functionSource("deconflict_apply_batch")
            #expect(src.contains("set_config('synchronous_commit', 'off', true)"))
            let n0 = store.walFlushCount
            let a = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            let n1 = store.walFlushCount
            #expect(n1 == n0 + 1)
            let r = try await store.put(F.proposal("b1", [F.circle(dx: 300)]), key: [], writer: "bob")
            #expect(r.refusal == .missingKeys([MissingKey(intentID: "a1", owner: "alice", ovn: a.ovn)]))
            #expect(store.walFlushCount == n1)
            // The session default is untouched: a plain transaction still commits synchronously.
            #expect(try await store.setting("synchronous_commit") == "on")
        }
    }

    @Test func applyChangesNothingWhenWhatTheDecisionReadChanged() async throws {
        try await withPG { store, _ in
            let a = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            let p = F.proposal("b1", [F.circle(dx: 500)])
            // bob's read saw a1 at its first version; then alice changes a1.
            let stale = try plan(.create(p, key: [a.ovn]), writer: "bob", seen: [a])
            #expect(stale.hasChanges)
            let a2 = try await store.put(F.proposal("a1", [F.circle(r: 900)]), key: [], ovn: a.ovn, writer: "alice").accepted()
            #expect(try await store.applyBatch(stale) == "changed")
            #expect(try await store.get(id: "b1") == nil)
            #expect(try await store.conflicts(with: p.volumes).map(\.id) == ["a1"])

            // An intent that appeared in the probe after the read: changed too.
            let missed = try plan(.create(p, key: [a2.ovn]), writer: "bob", seen: [a2])
            let c = try await store.put(F.proposal("c1", [F.circle(dx: 300)]), key: [a2.ovn], writer: "carol").accepted()
            #expect(try await store.applyBatch(missed) == "changed")
            #expect(try await store.get(id: "b1") == nil)

            // What is really there: applied, with its index rows.
            let fresh = try plan(.create(p, key: [a2.ovn, c.ovn]), writer: "bob", seen: [c, a2])
            #expect(try await store.applyBatch(fresh) == "applied")
            let b = try #require(try await store.get(id: "b1"))
            #expect(b == fresh.results.first?.intent)
            #expect(try await store.conflicts(with: p.volumes).map(\.id).sorted() == ["a1", "b1", "c1"])

            // A create of an id that exists by now: changed (expected absent).
            #expect(try await store.applyBatch(fresh) == "changed")

            // The intent's own row changed since the read: changed, the stored row is untouched.
            let q = F.proposal("b1", [F.circle(dx: 5_000)])
            var old = b
            old.ovn = "00000000000000000000000000000000"
            let ownStale = try plan(.update(q, ovn: old.ovn, key: []), writer: "bob", seen: [old])
            #expect(ownStale.hasChanges)
            #expect(try await store.applyBatch(ownStale) == "changed")
            #expect(try await store.get(id: "b1") == b)

            // Deleting applies only to the version the decision saw; then the index rows are gone.
            let del = try plan(.delete(id: "b1", ovn: b.ovn), writer: "bob", seen: [b])
            let delStale = try plan(.delete(id: "b1", ovn: old.ovn), writer: "bob", seen: [old])
            #expect(try await store.applyBatch(delStale) == "changed")
            #expect(try await store.applyBatch(del) == "applied")
            #expect(try await store.get(id: "b1") == nil)
            #expect(try await store.conflicts(with: p.volumes).map(\.id).sorted() == ["a1", "c1"])
        }
    }

    /// The drainer decides on its cache of the area; another process's write there is not in
    /// it. The apply's check catches it and the batch is decided again on a fresh read.
    @Test func aStaleCacheIsCaughtAndReadAgain() async throws {
        try await withPG { store, other in
            let a = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            let b = try await store.put(F.proposal("b1", [F.circle(dx: 200)]), key: [a.ovn], writer: "bob").accepted()
            // Another process files c1 next to both: the first store's cache holds a1 and b1 only.
            let c = try await other.put(F.proposal("c1", [F.circle(dx: 400)]), key: [a.ovn, b.ovn], writer: "carol").accepted()
            let before = store.writePath.counts
            let move = F.proposal("b1", [F.circle(dx: 250)])
            let r = try await store.put(move, key: [a.ovn], ovn: b.ovn, writer: "bob")
            #expect(r.refusal == .missingKeys([MissingKey(intentID: "c1", owner: "carol", ovn: c.ovn)]))
            #expect(store.writePath.counts.changed - before.changed == 1)
            #expect(try await store.get(id: "b1") == b)
            // With c1's OVN: accepted, now decided on the refreshed cache without a 'changed'.
            let b2 = try await store.put(move, key: [a.ovn, c.ovn], ovn: b.ovn, writer: "bob").accepted()
            #expect(store.writePath.counts.changed - before.changed == 1)
            #expect(try await store.get(id: "b1") == b2)
        }
    }

    /// A refusal changes nothing, so no apply would check what it was decided on: a batch of
    /// refusals is never answered from the cache, only from a fresh read.
    @Test func refusalsAreDecidedOnAFreshRead() async throws {
        try await withPG { store, other in
            let a = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            let b = try await store.put(F.proposal("b1", [F.circle(dx: 1_500)]), key: [a.ovn], writer: "bob").accepted()
            // Another process deletes a1; the first store's cache still holds it.
            _ = try await other.delete(id: "a1", ovn: a.ovn, writer: "alice")
            let before = store.writePath.counts
            // On the cache bob's key lacks a1: a refusal, so decided again on a fresh read.
            let b2 = try await store.put(F.proposal("b1", [F.circle(dx: 200)]), key: [], ovn: b.ovn, writer: "bob").accepted()
            #expect(store.writePath.counts.reads - before.reads == 1)
            #expect(try await store.get(id: "b1") == b2)
            // An accepted write on the refreshed cache reads nothing.
            let b3 = try await store.put(F.proposal("b1", [F.circle(dx: 300)]), key: [], ovn: b2.ovn, writer: "bob").accepted()
            #expect(store.writePath.counts.reads - before.reads == 1)
            #expect(try await store.get(id: "b1") == b3)
        }
    }

    @Test func aStaleDecisionIsDecidedAgainNotApplied() async throws {
        try await withPG { store, other in
            let a = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            // Between bob's accepted pre-decision and its apply, alice changes a1 (once).
            let fired = Flag()
            store.writePath.beforeApply = { id in
                guard id == "b1", fired.setOnce() else { return }
                _ = try await other.put(F.proposal("a1", [F.circle(r: 1_200)]), key: [], ovn: a.ovn, writer: "alice").accepted()
            }
            let r = try await store.put(F.proposal("b1", [F.circle(dx: 500)]), key: [a.ovn], writer: "bob")
            let a2 = try #require(try await store.get(id: "a1"))
            #expect(r.refusal == .missingKeys([MissingKey(intentID: "a1", owner: "alice", ovn: a2.ovn)]))
            #expect(try await store.get(id: "b1") == nil)
            #expect(store.writePath.counts.changed == 1)
        }
    }

    @Test func fallsBackToTheLockedPathAfterThreeChanges() async throws {
        try await withPG { store, other in
            let a = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            // bob's own b2 overlaps b1: a candidate (no key needed). Changing it before every
            // optimistic apply of b1 makes each answer 'changed' without changing the decision.
            let b2 = try await store.put(F.proposal("b2", [F.circle(dx: -400)]), key: [a.ovn], writer: "bob").accepted()
            let ovn = OVNBox(b2.ovn)
            store.writePath.beforeApply = { id in
                guard id == "b1" else { return }
                let next = try await other.put(F.proposal("b2", [F.circle(dx: -400, r: 900)]), key: [a.ovn],
                                               ovn: ovn.value, writer: "bob").accepted()
                ovn.value = next.ovn
            }
            let before = store.writePath.counts
            let b1 = try await store.put(F.proposal("b1", [F.circle(dx: 500)]), key: [a.ovn], writer: "bob").accepted()
            let after = store.writePath.counts
            #expect(after.changed - before.changed == PostgresIntentStore.optimisticAttempts)
            #expect(after.fallbacks - before.fallbacks == 1)
            #expect(try await store.get(id: "b1") == b1)
            #expect(try await store.get(id: "b2")?.version == 1 + PostgresIntentStore.optimisticAttempts)
        }
    }

    @Test func aRacingCreateOfTheSameIdIsAlreadyExists() async throws {
        try await withPG { store, other in
            store.writePath.beforeApply = { id in
                guard id == "same" else { return }
                store.writePath.beforeApply = nil
                _ = try await other.put(F.proposal("same", [F.circle(dx: 20_000)]), key: [], writer: "carol").accepted()
            }
            let r = try await store.put(F.proposal("same", [F.circle()]), key: [], writer: "bob")
            #expect(r.refusal == .alreadyExists(id: "same"))
            #expect(try await store.get(id: "same")?.owner == "carol")
        }
    }

    /// The activated-only-reduce rule looks at the OLD volumes' conflicts, which the new boxes'
    /// candidates do not contain: the optimistic path reads both (and validates both).
    @Test func activatedReduceRuleSeesTheOldConflicts() async throws {
        try await withPG { store, other in
            let a = try await store.put(F.proposal("a1", [F.circle()], state: .activated), key: [], writer: "alice").accepted()
            let b = try await store.put(F.proposal("b1", [F.circle(dx: 1_500)], priority: 10), key: [a.ovn], writer: "bob").accepted()
            let c = try await store.put(F.proposal("c1", [F.circle(dx: -20_000)]), key: [], writer: "carol").accepted()
            // In conflict with b1, a1 jumps into a new conflict with c1: refused.
            let r = try await store.put(F.proposal("a1", [F.circle(dx: -20_000)], state: .activated),
                                        key: [b.ovn, c.ovn], ovn: a.ovn, writer: "alice")
            guard case let .conflictNotReduced(cs)? = r.refusal else { Issue.record("got \(r)"); return }
            #expect(cs.map(\.otherID) == ["c1"])
            #expect(try await store.get(id: "a1") == a)
            // Leaving for an empty spot is accepted, but a change of b1 between a1's pre-read
            // and its apply is still caught: b1 is a candidate only through a1's OLD box, and
            // the validation re-reads the same (new + old) probe.
            let fired = Flag()
            store.writePath.beforeApply = { id in
                guard id == "a1", fired.setOnce() else { return }
                _ = try await other.put(F.proposal("b1", [F.circle(dx: 1_400)], priority: 10), key: [a.ovn],
                                        ovn: b.ovn, writer: "bob").accepted()
            }
            let before = store.writePath.counts
            let away = try await store.put(F.proposal("a1", [F.circle(dx: 40_000)], state: .activated),
                                           key: [], ovn: a.ovn, writer: "alice").accepted()
            #expect(store.writePath.counts.changed - before.changed == 1)
            #expect(store.writePath.counts.applied - before.applied == 1)
            #expect(try await store.get(id: "a1") == away)
        }
    }
}

extension PostgresWritePathTests {
    /// Key reads through the read batcher answer exactly what one read each would.
    @Test func concurrentKeyReadsEqualSingleReads() async throws {
        try await withPG { store, other in
            for k in 0..<12 {
                _ = try await other.put(F.proposal("x\(k)", [F.circle(dx: Double(k) * 1_500, r: 600)]), key: [],
                                        writer: "p\(k)").accepted()
            }
            let vols = (0..<24).map { k in F.circle(dx: Double(k) * 750, r: 500) }
            var single: [[String]] = []
            for v in vols { single.append(try await store.conflicts(with: [v]).map(\.id).sorted()) }
            let together = try await withThrowingTaskGroup(of: (Int, [String]).self) { g in
                for (k, v) in vols.enumerated() { g.addTask { (k, try await store.conflicts(with: [v]).map(\.id).sorted()) } }
                var out = [[String]](repeating: [], count: vols.count)
                for try await (k, ids) in g { out[k] = ids }
                return out
            }
            #expect(together == single)
            #expect(single.contains { $0.count >= 2 })
        }
    }
}

/// Test-only shared mutable state for the hooks.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    /// True the first time only.
    func setOnce() -> Bool { lock.withLock { defer { set = true }; return !set } }
}

final class OVNBox: @unchecked Sendable {
    private let lock = NSLock()
    private var v: String
    init(_ v: String) { self.v = v }
    var value: String {
        get { lock.withLock { v } }
        set { lock.withLock { v = newValue } }
    }
}
