import DeconflictCore
import DeconflictStore
import Testing

/// The shared suite, part 3: priority and activated-only-reduce, applied by the store through
/// the core's pure rules, on every backend.
@Suite struct PriorityTests {
    @Test(arguments: Backend.all)
    func lowerPriorityMayNotCreateAConflictWithHigher(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = try await store.put(F.proposal("a1", [F.circle()], priority: 0), key: [], writer: "alice").accepted()
            // Higher over lower: allowed, and the remaining conflict is reported.
            let r = try await store.put(F.proposal("b1", [F.circle(dx: 500)], priority: 10), key: [a.ovn], writer: "bob")
            let b = try r.accepted()
            guard case let .accepted(_, conflicts) = r else { return }
            #expect(conflicts.map(\.otherID) == ["a1"])
            // Lower over higher: refused, nothing stored.
            let low = try await store.put(F.proposal("c1", [F.circle(dx: -300)], priority: 5), key: [a.ovn, b.ovn], writer: "carol")
            guard case let .priorityViolation(cs)? = low.refusal else { Issue.record("got \(low)"); return }
            #expect(cs.map(\.otherID) == ["b1"])
            #expect(low.refusal?.httpStatus == 409)
            #expect(try await store.get(id: "c1") == nil)
            // Equal priority: allowed by the default policy.
            _ = try await store.put(F.proposal("c1", [F.circle(dx: -300)], priority: 10), key: [a.ovn, b.ovn], writer: "carol").accepted()
            // Moving a lower one INTO a higher one is refused too.
            let far = try await store.put(F.proposal("d1", [F.circle(dx: 30_000)], priority: 0), key: [], writer: "dave").accepted()
            let keyNear = try await store.key(for: [F.circle(dx: 400)], writer: "dave")
            let move = try await store.put(F.proposal("d1", [F.circle(dx: 400)], priority: 0), key: keyNear, ovn: far.ovn, writer: "dave")
            guard case .priorityViolation? = move.refusal else { Issue.record("got \(move)"); return }
            #expect(try await store.get(id: "d1") == far)
        }
    }

    @Test(arguments: Backend.all)
    func activatedIntentInConflictMayOnlyReduceIt(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = try await store.put(F.proposal("a1", [F.circle(r: 2_000)], priority: 0, state: .activated),
                                        key: [], writer: "alice").accepted()
            let b = try await store.put(F.proposal("b1", [F.circle(dx: 2_500, r: 1_000)], priority: 10),
                                        key: [a.ovn], writer: "bob").accepted()
            // Growing into more conflict: refused.
            let grow = try await store.put(F.proposal("a1", [F.circle(r: 3_000)], state: .activated),
                                           key: [b.ovn], ovn: a.ovn, writer: "alice")
            guard case let .conflictNotReduced(cs)? = grow.refusal else { Issue.record("got \(grow)"); return }
            #expect(cs.map(\.otherID) == ["b1"])
            #expect(try await store.get(id: "a1") == a)
            // Shrinking inside the old volume (still in conflict, but less): accepted.
            let shrink = try await store.put(F.proposal("a1", [F.circle(r: 1_800)], state: .activated),
                                             key: [b.ovn], ovn: a.ovn, writer: "alice")
            let a2 = try shrink.accepted()
            #expect(a2.version == 2)
            // Leaving the conflict entirely: accepted, and without b1's OVN — the key rule asks
            // only for intents that intersect exactly in 4D (a 1 km circle 2.5 km from b1's
            // 1 km circle does not).
            let out = try await store.put(F.proposal("a1", [F.circle(r: 1_000)], state: .activated),
                                          key: [], ovn: a2.ovn, writer: "alice")
            #expect(try out.accepted().version == 3)
        }
    }

    /// The reduce rule looks at the conflicts of the OLD volumes: an Activated intent in conflict
    /// that jumps far away into a new conflict is refused, though its new volumes' surroundings
    /// alone show no old conflict.
    @Test(arguments: Backend.all)
    func activatedIntentInConflictMayNotJumpIntoANewOne(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = try await store.put(F.proposal("a1", [F.circle()], state: .activated), key: [], writer: "alice").accepted()
            let b = try await store.put(F.proposal("b1", [F.circle(dx: 1_500)], priority: 10), key: [a.ovn], writer: "bob").accepted()
            let c = try await store.put(F.proposal("c1", [F.circle(dx: -20_000)]), key: [], writer: "carol").accepted()
            let jump = try await store.put(F.proposal("a1", [F.circle(dx: -20_000)], state: .activated),
                                           key: [b.ovn, c.ovn], ovn: a.ovn, writer: "alice")
            guard case let .conflictNotReduced(cs)? = jump.refusal else { Issue.record("got \(jump)"); return }
            #expect(cs.map(\.otherID) == ["c1"])
            #expect(try await store.get(id: "a1") == a)
        }
    }

    @Test(arguments: Backend.all)
    func offNominalStatesReportRealityWithoutKeys(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let a = try await store.put(F.proposal("a1", [F.circle()], state: .activated), key: [], writer: "alice").accepted()
            _ = try await store.put(F.proposal("b1", [F.circle(dx: 20_000)], priority: 10), key: [], writer: "bob").accepted()
            // Nonconforming: the aircraft is where it is; no key needed to report it.
            let nc = try await store.put(F.proposal("a1", [F.circle(dx: 20_000)], state: .nonconforming),
                                         key: [], ovn: a.ovn, writer: "alice").accepted()
            #expect(nc.state == .nonconforming)
            let back = try await store.put(F.proposal("a1", [F.circle()], state: .accepted), key: [], ovn: nc.ovn, writer: "alice")
            #expect(back.refusal == .invalidTransition(from: .nonconforming, to: .accepted))
        }
    }
}
