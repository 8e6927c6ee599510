import Testing
import DeconflictCore

/// Fixtures around Zürich: a 2 km box `base` and neighbours.
private enum F {
    static let base = box(47.40, 8.50, 47.42, 8.53)
    static let overlapping = box(47.41, 8.52, 47.43, 8.55)
    /// Same covering cell as `base`'s edge, but 150 m away: no overlap, so neither in the key nor a conflict.
    static let nearby = box(47.4215, 8.50, 47.425, 8.53)
    static let far = box(46.0, 7.0, 46.02, 7.03)

    static func intent(_ id: String, _ owner: String, _ o: Outline, prio: Int = 0, state: IntentState = .accepted,
                       t0: Double = 1_000, t1: Double = 2_000, lower: Double = 0, upper: Double = 120) -> Intent {
        let v = [vol(o, lower, upper, t0, t1)]
        return Intent(id: id, owner: owner, ovn: OVN.make(id: id, owner: owner, version: 1, state: state, priority: prio, volumes: v),
                      version: 1, state: state, priority: prio, volumes: v)
    }
    static func proposal(_ id: String, _ o: Outline, prio: Int = 0, state: IntentState = .accepted,
                         t0: Double = 1_000, t1: Double = 2_000) -> IntentProposal {
        IntentProposal(id: id, state: state, priority: prio, volumes: [vol(o, 0, 120, t0, t1)])
    }
}

@Suite("Strategic intents: rules")
struct IntentRulesTests {
    let bob1 = F.intent("bob-1", "bob", F.overlapping, prio: 10)
    let bob2 = F.intent("bob-2", "bob", F.nearby)
    let bobLater = F.intent("bob-3", "bob", F.overlapping, t0: 2_000, t1: 3_000)   // touching in time
    let bobHigh = F.intent("bob-4", "bob", F.overlapping, lower: 120, upper: 200)   // touching in altitude
    let carol = F.intent("carol-1", "carol", F.far, prio: 50)
    let aliceOwn = F.intent("alice-0", "alice", F.overlapping, prio: 99)
    let ended = F.intent("dave-1", "dave", F.overlapping, prio: 99, state: .ended)
    var all: [Intent] { [bob1, bob2, bobLater, bobHigh, carol, aliceOwn, ended] }

    @Test func createAloneIsAccepted() {
        let d = IntentRules.evaluate(.create(F.proposal("a", F.base), key: []), writer: "alice", current: nil, others: [])
        #expect(d == .accepted(version: 1, conflicts: []))
    }

    @Test func missingKeysListExactlyTheMissingIntentsWithTheirOVNs() {
        // bob-1 overlaps; bob-2 is 150 m away (same cell), bob-3/bob-4 only touch in time/altitude,
        // alice-0 is the writer's own, dave-1 is Ended, carol-1 far away: only bob-1 is required.
        let d = IntentRules.evaluate(.create(F.proposal("a", F.base, prio: 20), key: []), writer: "alice", current: nil, others: all)
        #expect(d.refusal == .missingKeys([MissingKey(intentID: "bob-1", owner: "bob", ovn: bob1.ovn)]))
        #expect(d.refusal?.httpStatus == 409)
        let d2 = IntentRules.evaluate(.create(F.proposal("a", F.base, prio: 20), key: [bob2.ovn, "stale-ovn"]),
                                      writer: "alice", current: nil, others: all)
        #expect(d2.refusal == .missingKeys([MissingKey(intentID: "bob-1", owner: "bob", ovn: bob1.ovn)]))
        let d3 = IntentRules.evaluate(.create(F.proposal("a", F.base, prio: 20), key: [bob1.ovn]),
                                      writer: "alice", current: nil, others: all)
        #expect(d3.isAccepted)
        // Two overlapping intents of others: both listed, sorted by id, only the missing one after a partial key.
        let zed = F.intent("zed-1", "zed", F.overlapping)
        let d4 = IntentRules.evaluate(.create(F.proposal("a", F.base, prio: 20), key: []), writer: "alice", current: nil,
                                      others: [zed, bob1])
        #expect(d4.refusal == .missingKeys([MissingKey(intentID: "bob-1", owner: "bob", ovn: bob1.ovn),
                                            MissingKey(intentID: "zed-1", owner: "zed", ovn: zed.ovn)]))
        let d5 = IntentRules.evaluate(.create(F.proposal("a", F.base, prio: 20), key: [zed.ovn]), writer: "alice", current: nil,
                                      others: [zed, bob1])
        #expect(d5.refusal == .missingKeys([MissingKey(intentID: "bob-1", owner: "bob", ovn: bob1.ovn)]))
        // The required set is also available directly.
        #expect(IntentRules.requiredKeys(volumes: [vol(F.base)], writer: "alice", others: all).map(\.intentID) == ["bob-1"])
    }

    @Test func conflictsAreListedWithOverlaps() {
        let d = IntentRules.evaluate(.create(F.proposal("a", F.base, prio: 20), key: [bob1.ovn, bob2.ovn]),
                                     writer: "alice", current: nil, others: all)
        guard case let .accepted(version, conflicts) = d else { Issue.record("\(d)"); return }
        #expect(version == 1)
        #expect(conflicts.map(\.otherID) == ["bob-1"])
        #expect(conflicts.first?.pairs == [VolumePairOverlap(volumeIndex: 0, otherVolumeIndex: 0,
            overlap: VolumeOverlap(timeStart: 1_000, timeEnd: 2_000, altitudeLower: 0, altitudeUpper: 120))])
    }

    @Test func lowerPriorityMayNotCreateAConflictWithHigher() {
        let key: Set<String> = [bob1.ovn, bob2.ovn]
        let low = IntentRules.evaluate(.create(F.proposal("a", F.base, prio: 5), key: key), writer: "alice", current: nil, others: all)
        guard case let .priorityViolation(c)? = low.refusal else { Issue.record("\(low)"); return }
        #expect(c.map(\.otherID) == ["bob-1"])
        let equal = IntentRules.evaluate(.create(F.proposal("a", F.base, prio: 10), key: key), writer: "alice", current: nil, others: all)
        #expect(equal.isAccepted)
        let strict = IntentRules.evaluate(.create(F.proposal("a", F.base, prio: 10), key: key), writer: "alice", current: nil,
                                          others: all, policy: IntentPolicy(allowEqualPriorityConflicts: false))
        if case .equalPriorityConflict? = strict.refusal {} else { Issue.record("\(strict)") }
        // Higher priority may create the conflict.
        #expect(IntentRules.evaluate(.create(F.proposal("a", F.base, prio: 11), key: key), writer: "alice", current: nil, others: all).isAccepted)
    }

    @Test func onlyTheOwnerMayChangeAnIntent() {
        let a = F.intent("a", "alice", F.base)
        let up = IntentRules.evaluate(.update(F.proposal("a", F.base), ovn: a.ovn, key: []), writer: "bob", current: a, others: [])
        #expect(up.refusal == .notOwner(id: "a", owner: "alice", writer: "bob"))
        #expect(up.refusal?.httpStatus == 403)
        let del = IntentRules.evaluate(.delete(id: "a", ovn: a.ovn), writer: "bob", current: a, others: [])
        #expect(del.refusal == .notOwner(id: "a", owner: "alice", writer: "bob"))
        #expect(IntentRules.evaluate(.delete(id: "a", ovn: a.ovn), writer: "alice", current: a, others: []).isAccepted)
    }

    @Test func ovnMustBeCurrent() {
        let a = F.intent("a", "alice", F.base)
        let d = IntentRules.evaluate(.update(F.proposal("a", F.base), ovn: "old", key: []), writer: "alice", current: a, others: [])
        #expect(d.refusal == .ovnMismatch(id: "a", presented: "old", current: a.ovn))
        let del = IntentRules.evaluate(.delete(id: "a", ovn: "old"), writer: "alice", current: a, others: [])
        #expect(del.refusal == .ovnMismatch(id: "a", presented: "old", current: a.ovn))
        let up = IntentRules.evaluate(.update(F.proposal("a", F.base, state: .activated), ovn: a.ovn, key: []), writer: "alice", current: a, others: [])
        #expect(up == .accepted(version: 2, conflicts: []))
        #expect(IntentRules.evaluate(.update(F.proposal("x", F.base), ovn: "o", key: []), writer: "alice", current: nil, others: []).refusal == .notFound(id: "x"))
        #expect(IntentRules.evaluate(.create(F.proposal("a", F.base), key: []), writer: "alice", current: a, others: []).refusal == .alreadyExists(id: "a"))
    }

    @Test func stateTransitions() {
        #expect(IntentRules.isTransitionAllowed(from: nil, to: .accepted))
        #expect(IntentRules.isTransitionAllowed(from: nil, to: .activated))
        #expect(!IntentRules.isTransitionAllowed(from: nil, to: .contingent))
        #expect(!IntentRules.isTransitionAllowed(from: nil, to: .ended))
        #expect(IntentRules.isTransitionAllowed(from: .accepted, to: .activated))
        #expect(!IntentRules.isTransitionAllowed(from: .activated, to: .accepted))
        #expect(IntentRules.isTransitionAllowed(from: .activated, to: .nonconforming))
        #expect(IntentRules.isTransitionAllowed(from: .nonconforming, to: .activated))
        #expect(!IntentRules.isTransitionAllowed(from: .contingent, to: .activated))
        for s in IntentState.allCases { #expect(!IntentRules.isTransitionAllowed(from: .ended, to: s)) }
        let e = F.intent("a", "alice", F.base, state: .ended)
        let d = IntentRules.evaluate(.update(F.proposal("a", F.base, state: .activated), ovn: e.ovn, key: []), writer: "alice", current: e, others: [])
        #expect(d.refusal == .invalidTransition(from: .ended, to: .activated))
        #expect(d.refusal?.httpStatus == 400)
    }

    @Test func invalidVolumesAreRefusedFirst() {
        let p = IntentProposal(id: "a", state: .accepted, volumes: [vol(F.base), vol(F.base, 100, 50)])
        let d = IntentRules.evaluate(.create(p, key: []), writer: "alice", current: nil, others: all)
        #expect(d.refusal == .invalidVolume(index: 1, .altitudeBandEmpty(lower: 100, upper: 50)))
        #expect(IntentRules.evaluate(.create(IntentProposal(id: "a", state: .accepted, volumes: []), key: []),
                                     writer: "alice", current: nil, others: []).refusal == .badVolumeCount(0))
        #expect(IntentRules.evaluate(.create(F.proposal("", F.base), key: []), writer: "alice", current: nil, others: []).refusal == .badIdentifier(""))
    }

    @Test func activatedInConflictMayOnlyReduce() {
        // Alice's Activated intent already conflicts with bob-1 (say bob was allowed by priority).
        let a = F.intent("a", "alice", F.base, prio: 10, state: .activated)
        let key: Set<String> = [bob1.ovn, bob2.ovn, carol.ovn]
        func update(_ p: IntentProposal) -> IntentDecision {
            IntentRules.evaluate(.update(p, ovn: a.ovn, key: key), writer: "alice", current: a, others: [bob1, bob2, carol])
        }
        // Shorter time window, same outline: reduces.
        #expect(update(F.proposal("a", F.base, prio: 10, state: .activated, t0: 1_500, t1: 2_000)).isAccepted)
        // Smaller outline inside the old one: reduces.
        #expect(update(F.proposal("a", box(47.405, 8.51, 47.415, 8.525), prio: 10, state: .activated)).isAccepted)
        // Extending the window away from bob-1 (bob-1 ends at 2000) keeps the overlap: allowed.
        #expect(update(F.proposal("a", F.base, prio: 10, state: .activated, t0: 1_000, t1: 1_900)).isAccepted)
        // Growing the outline further into bob-1: refused.
        let grow = update(F.proposal("a", box(47.40, 8.50, 47.42, 8.54), prio: 10, state: .activated))
        guard case let .conflictNotReduced(c)? = grow.refusal else { Issue.record("\(grow)"); return }
        #expect(c.map(\.otherID) == ["bob-1"])
        // Adding a volume over carol's (higher priority or not): refused as a new conflict.
        var p = F.proposal("a", F.base, prio: 10, state: .activated)
        p.volumes.append(vol(F.far))
        guard case let .conflictNotReduced(c2)? = update(p).refusal else { Issue.record("carol"); return }
        #expect(c2.map(\.otherID) == ["carol-1"])
        // Not in conflict before: the general rules apply (equal priority allowed).
        let quiet = F.intent("q", "alice", F.far, prio: 10, state: .activated)
        let moved = IntentRules.evaluate(.update(F.proposal("q", F.base, prio: 10, state: .activated), ovn: quiet.ovn, key: key),
                                         writer: "alice", current: quiet, others: [bob1, bob2])
        #expect(moved.isAccepted)
    }

    @Test func lowerPriorityKeepsAPreexistingConflictButMayNotEnlargeIt() {
        // Bob (10) created over alice's (0) accepted intent; alice may still activate it unchanged.
        let a = F.intent("a", "alice", F.base, prio: 0)
        let key: Set<String> = [bob1.ovn, bob2.ovn]
        let same = IntentRules.evaluate(.update(F.proposal("a", F.base, prio: 0, state: .activated), ovn: a.ovn, key: key),
                                        writer: "alice", current: a, others: [bob1, bob2])
        #expect(same.isAccepted)
        let bigger = IntentRules.evaluate(.update(F.proposal("a", box(47.40, 8.50, 47.42, 8.54), prio: 0), ovn: a.ovn, key: key),
                                          writer: "alice", current: a, others: [bob1, bob2])
        if case .priorityViolation? = bigger.refusal {} else { Issue.record("\(bigger)") }
    }

    @Test func offNominalStatesSkipKeyAndPriorityChecks() {
        let a = F.intent("a", "alice", F.base, prio: 0, state: .activated)
        let d = IntentRules.evaluate(.update(F.proposal("a", box(47.40, 8.50, 47.42, 8.54), state: .nonconforming), ovn: a.ovn, key: []),
                                     writer: "alice", current: a, others: [bob1, bob2])
        guard case let .accepted(v, c) = d else { Issue.record("\(d)"); return }
        #expect(v == 2)
        #expect(c.map(\.otherID) == ["bob-1"])
    }

    @Test func ovnIsDeterministicAndChangesWithEveryVersion() {
        let v = [vol(F.base)]
        let o1 = OVN.make(id: "a", owner: "alice", version: 1, state: .accepted, priority: 0, volumes: v)
        #expect(o1 == OVN.make(id: "a", owner: "alice", version: 1, state: .accepted, priority: 0, volumes: v))
        #expect(o1.count == 32)
        #expect(o1 != OVN.make(id: "a", owner: "alice", version: 2, state: .accepted, priority: 0, volumes: v))
        #expect(o1 != OVN.make(id: "a", owner: "alice", version: 1, state: .activated, priority: 0, volumes: v))
        #expect(o1 != OVN.make(id: "a", owner: "alice", version: 1, state: .accepted, priority: 0, volumes: [vol(F.far)]))
    }
}
