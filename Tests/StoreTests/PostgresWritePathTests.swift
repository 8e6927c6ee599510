import DeconflictCore
@testable import DeconflictStore
import Foundation
import Testing

/// PostgreSQL only: the optimistic write path (docs/store.md, PostgreSQL atomicity) — a
/// decision made on an unlocked pre-read is applied by `deconflict_apply` only if the intent's
/// own OVN and the candidates' (id, OVN) set are unchanged under the locks; else nothing is
/// written, the write starts over, and after 3 such answers it takes the locked path.
@Suite(.enabled(if: Backend.pgSettings != nil)) struct PostgresWritePathTests {
    /// A store, and a second one on the same schema: "another process", whose writes the
    /// hooks make between a decision and its apply (a write of the same store would wait for
    /// the first one at its WriteGate).
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

    /// An apply request as the pre-read would have built it: `current` and `candidates` seen.
    func request(_ w: IntentWrite, writer: String, current: Intent?, candidates: [Intent])
        throws -> (PostgresIntentStore.ApplyRequest, LockKeys, [Box4])
    {
        var r = PostgresIntentStore.ApplyRequest(selfID: w.intentID, expectedOVN: current?.ovn, candidates: candidates)
        var boxes: [Box4] = []
        switch w {
        case let .create(p, _), let .update(p, _, _):
            boxes = try #require(VolumeBounds.boxes(p.volumes))
            r.set(current == nil ? .create : .update,
                  StoreRules.stored(p, writer: writer, version: (current?.version ?? 0) + 1))
        case .delete:
            r.op = .delete
        }
        let old = current.flatMap { VolumeBounds.boxes($0.volumes) } ?? []
        return (r, LockKeys.forBoxes(boxes + old), boxes)
    }

    /// deconflict_apply commits without waiting for the disk (its own transaction only), so an
    /// applied write is acknowledged only after a WAL flush that began after it; a refusal
    /// wrote nothing and waits for none.
    @Test func appliedWritesWaitForAFlushRefusalsDoNot() async throws {
        try await withPG { store, _ in
            let src = try await store.functionSource("deconflict_apply")
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
        try await withPG { store, other in
            let a = try await store.put(F.proposal("a1", [F.circle()]), key: [], writer: "alice").accepted()
            let p = F.proposal("b1", [F.circle(dx: 500)])
            // bob's pre-read saw a1 at its first version; then alice changes a1.
            let (stale, keys, boxes) = try request(.create(p, key: [a.ovn]), writer: "bob", current: nil, candidates: [a])
            let a2 = try await store.put(F.proposal("a1", [F.circle(r: 900)]), key: [], ovn: a.ovn, writer: "alice").accepted()
            #expect(try await store.applyDirectly(stale, lockKeys: keys, probeBoxes: boxes) == "changed")
            #expect(try await store.get(id: "b1") == nil)
            #expect(try await store.conflicts(with: p.volumes).map(\.id) == ["a1"])

            // A candidate that appeared after the pre-read: changed too.
            let (missed, _, _) = try request(.create(p, key: [a2.ovn]), writer: "bob", current: nil, candidates: [a2])
            let c = try await store.put(F.proposal("c1", [F.circle(dx: 300)]), key: [a2.ovn], writer: "carol").accepted()
            #expect(try await store.applyDirectly(missed, lockKeys: keys, probeBoxes: boxes) == "changed")
            #expect(try await store.get(id: "b1") == nil)

            // What is really there: applied, with its index rows.
            let (fresh, _, _) = try request(.create(p, key: [a2.ovn, c.ovn]), writer: "bob", current: nil, candidates: [c, a2])
            #expect(try await store.applyDirectly(fresh, lockKeys: keys, probeBoxes: boxes) == "applied")
            let b = try #require(try await store.get(id: "b1"))
            #expect(b == fresh.stored)
            #expect(try await store.conflicts(with: p.volumes).map(\.id).sorted() == ["a1", "b1", "c1"])

            // The intent's own row changed since the pre-read: changed, the stored row is untouched.
            let q = F.proposal("b1", [F.circle(dx: 5_000)])
            var (ownStale, k2, b2) = try request(.update(q, ovn: b.ovn, key: []), writer: "bob", current: b, candidates: [])
            ownStale.expectedOVN = "00000000000000000000000000000000"
            #expect(try await store.applyDirectly(ownStale, lockKeys: k2, probeBoxes: b2) == "changed")
            #expect(try await store.get(id: "b1") == b)

            // Deleting applies only to the version the decision saw; then the index rows are gone.
            var (del, k3, _) = try request(.delete(id: "b1", ovn: b.ovn), writer: "bob", current: b, candidates: [])
            del.expectedOVN = a.ovn
            #expect(try await store.applyDirectly(del, lockKeys: k3, probeBoxes: []) == "changed")
            del.expectedOVN = b.ovn
            #expect(try await store.applyDirectly(del, lockKeys: k3, probeBoxes: []) == "applied")
            #expect(try await store.get(id: "b1") == nil)
            #expect(try await store.conflicts(with: p.volumes).map(\.id).sorted() == ["a1", "c1"])
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

/// The in-process turn-taking of PostgreSQL writes (a performance measure only).
@Suite struct WriteGateTests {
    @Test func overlappingTurnsWaitDisjointOnesDoNot() async throws {
        let gate = WriteGate()
        await gate.enter([1, 2])
        await gate.enter([3]) // disjoint: admitted at once
        let order = Log()
        let waiter = Task {
            await gate.enter([2, 5]) // overlaps the first turn: waits for it
            order.add("second")
            gate.leave([2, 5])
        }
        try await Task.sleep(for: .milliseconds(50))
        order.add("first done")
        gate.leave([1, 2])
        await waiter.value
        gate.leave([3])
        #expect(order.items == ["first done", "second"])
        await gate.enter([1, 2, 3, 5]) // everything free again
        gate.leave([1, 2, 3, 5])
    }
}

final class Log: @unchecked Sendable {
    private let lock = NSLock()
    private var v: [String] = []
    func add(_ s: String) { lock.withLock { v.append(s) } }
    var items: [String] { lock.withLock { v } }
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
