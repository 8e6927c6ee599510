import DeconflictCore
import DeconflictStore
import Testing

/// The shared suite, part 4: racing writers. Every writer keeps rewriting its own intent in one
/// hot spot where all intents overlap, reading the key first and retrying on refusals. Then:
/// - nothing acknowledged is lost (each intent's stored OVN is its last acknowledged one, and
///   versions have no gaps);
/// - the accepted history is serialisable: ordering writes by what their keys saw gives no cycle;
/// - replaying that order through the core's pure rules accepts every write (so no accepted
///   write broke the key check or a priority rule) and ends in the stored state.
@Suite struct RaceTests {
    struct Accepted: Sendable {
        var owner: String
        var result: Intent
        var proposal: IntentProposal
        /// The key presented: intent id → OVN seen.
        var key: [String: String]
    }

    static func race(_ store: any IntentStore, writers: Int, writesEach: Int, priority: @escaping @Sendable (Int) -> Int)
        async throws -> (accepted: [Accepted], stale: Int)
    {
        try await withThrowingTaskGroup(of: ([Accepted], Int).self) { group in
            for n in 0..<writers {
                group.addTask {
                    let owner = "w\(n)", id = "i\(n)"
                    var out: [Accepted] = []
                    var stale = 0
                    var ovn: String?
                    var attempts = 0
                    while out.count < writesEach && attempts < writesEach * 200 {
                        attempts += 1
                        let p = F.proposal(id, [F.circle(dx: Double(n) * 10, r: 1_000 + Double(out.count))],
                                           priority: priority(n))
                        var key: [String: String] = [:]
                        for i in try await store.conflicts(with: p.volumes) where i.owner != owner {
                            key[i.id] = i.ovn
                        }
                        var retry = 0
                        while retry < 50 {
                            retry += 1
                            let r = try await store.put(p, key: Set(key.values), ovn: ovn, writer: owner)
                            switch r {
                            case let .accepted(i, _):
                                out.append(Accepted(owner: owner, result: i, proposal: p, key: key))
                                ovn = i.ovn
                                retry = 1_000
                            case let .refused(.missingKeys(ms)):
                                stale += 1
                                for m in ms { key[m.intentID] = m.ovn }
                            case .refused(.priorityViolation):
                                return (out, stale) // a higher-priority intent holds the spot: stop
                            default:
                                throw TestFailure("unexpected \(r)")
                            }
                        }
                    }
                    return (out, stale)
                }
            }
            var all: [Accepted] = []
            var stale = 0
            for try await (a, s) in group { all += a; stale += s }
            return (all, stale)
        }
    }

    /// A serial order consistent with every key (topological sort), or nil if there is a cycle.
    static func serialOrder(_ writes: [Accepted]) -> [Accepted]? {
        var byIDVersion: [String: [Int: Int]] = [:]  // id → version → index
        var byOVN: [String: Int] = [:]
        for (k, w) in writes.enumerated() {
            byIDVersion[w.result.id, default: [:]][w.result.version] = k
            byOVN[w.result.ovn] = k
        }
        var edges = Array(repeating: [Int](), count: writes.count)
        var indeg = Array(repeating: 0, count: writes.count)
        func edge(_ a: Int, _ b: Int) { edges[a].append(b); indeg[b] += 1 }
        for (k, w) in writes.enumerated() {
            if let next = byIDVersion[w.result.id]?[w.result.version + 1] { edge(k, next) }
            for (other, versions) in byIDVersion where other != w.result.id {
                if let seenOVN = w.key[other], let seen = byOVN[seenOVN] {
                    edge(seen, k) // after the version it saw…
                    if let after = versions[writes[seen].result.version + 1] { edge(k, after) } // …before the next
                } else if let first = versions[1] {
                    edge(k, first) // saw nothing of `other`: it did not exist yet
                }
            }
        }
        var ready = (0..<writes.count).filter { indeg[$0] == 0 }
        var order: [Accepted] = []
        while let k = ready.popLast() {
            order.append(writes[k])
            for b in edges[k] { indeg[b] -= 1; if indeg[b] == 0 { ready.append(b) } }
        }
        return order.count == writes.count ? order : nil
    }

    static func verify(_ store: any IntentStore, _ accepted: [Accepted]) async throws {
        // Nothing lost, no version gaps.
        let byID = Dictionary(grouping: accepted, by: \.result.id)
        for (id, ws) in byID {
            let versions = ws.map(\.result.version).sorted()
            #expect(versions == Array(1...versions.count), "\(id): versions \(versions)")
            let last = try #require(ws.max { $0.result.version < $1.result.version })
            #expect(try await store.get(id: id) == last.result, "\(id): acknowledged write lost")
        }
        #expect(try await store.count() == byID.count)
        // Serialisable, and legal under the rules in that order.
        let order = try #require(serialOrder(accepted), "accepted writes form a cycle: not serialisable")
        var state: [String: Intent] = [:]
        for w in order {
            let cur = state[w.result.id]
            let write: IntentWrite = cur == nil
                ? .create(w.proposal, key: Set(w.key.values))
                : .update(w.proposal, ovn: cur!.ovn, key: Set(w.key.values))
            let others = state.values.filter { $0.id != w.result.id }
            let d = IntentRules.evaluate(write, writer: w.owner, current: cur, others: Array(others))
            #expect(d.isAccepted, "replay refused \(w.result.id) v\(w.result.version): \(d)")
            state[w.result.id] = w.result
        }
        for (id, i) in state { #expect(try await store.get(id: id) == i) }
    }

    @Test(arguments: Backend.all)
    func racingWritersEqualPriority(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let (accepted, stale) = try await Self.race(store, writers: 8, writesEach: 12, priority: { _ in 0 })
            #expect(accepted.count == 8 * 12)
            try await Self.verify(store, accepted)
            print("race[\(backend)] equal priority: \(accepted.count) accepted, \(stale) refused stale")
        }
    }

    @Test(arguments: Backend.all)
    func racingWritersMixedPriority(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let (accepted, _) = try await Self.race(store, writers: 8, writesEach: 8, priority: { $0 % 3 })
            #expect(!accepted.isEmpty)
            try await Self.verify(store, accepted)
        }
    }

    @Test(arguments: Backend.all)
    func racingCreatesOfOneIdAcceptOne(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let results = try await withThrowingTaskGroup(of: WriteResult.self) { g in
                for n in 0..<8 {
                    g.addTask { try await store.put(F.proposal("same", [F.circle(dx: Double(n) * 5_000)]), key: [], writer: "w\(n)") }
                }
                return try await g.reduce(into: [WriteResult]()) { $0.append($1) }
            }
            #expect(results.filter(\.isAccepted).count == 1)
            #expect(results.filter { $0.refusal == .alreadyExists(id: "same") }.count == 7)
            #expect(try await store.count() == 1)
        }
    }
}
