import DeconflictCore
@testable import DeconflictStore
import Testing

/// The change value the rules hand every backend (pure: no database).
@Suite struct StoreRulesTests {
    func decide(_ w: IntentWrite, _ writer: String, current: Intent?, candidates: [Intent] = []) -> StoreDecision {
        StoreRules.decide(w, writer: writer, current: current, candidates: candidates, newBoxes: StoreRules.newBoxes(w))
    }

    @Test func createIsAnInsert() throws {
        let d = decide(.create(F.proposal("a1", [F.circle()], priority: 2), key: []), "alice", current: nil)
        guard case let .accepted(.insert(i), conflicts) = d else { Issue.record("\(d)"); return }
        #expect(i.id == "a1" && i.owner == "alice" && i.version == 1 && i.priority == 2 && i.state == .accepted)
        #expect(i.ovn.count == 32 && i.volumes == [F.circle()] && conflicts.isEmpty)
        #expect(d.change == .insert(i) && d.change?.previous == nil && d.change?.stored == i)
        #expect(d.result == .accepted(i, conflicts: []))
    }

    @Test func updateCarriesThePrevious() throws {
        let cur = Intent(id: "a1", owner: "alice", ovn: "ovn-a1", version: 3, state: .accepted, volumes: [F.circle()])
        let other = Intent(id: "b1", owner: "bob", ovn: "ovn-b1", state: .accepted, volumes: [F.circle(dx: 1_500)])
        let d = decide(.update(F.proposal("a1", [F.circle(dx: 500)], state: .activated), ovn: "ovn-a1", key: ["ovn-b1"]),
                       "alice", current: cur, candidates: [other])
        guard case let .accepted(.update(i, previous), conflicts) = d else { Issue.record("\(d)"); return }
        #expect(previous == cur)
        #expect(i.id == "a1" && i.owner == "alice" && i.version == 4 && i.state == .activated)
        #expect(i.ovn != cur.ovn && i.ovn.count == 32 && i.volumes == [F.circle(dx: 500)])
        #expect(conflicts.map(\.otherID) == ["b1"])
        #expect(d.change?.id == "a1" && d.change?.previous == cur && d.result == .accepted(i, conflicts: conflicts))
    }

    @Test func deleteCarriesThePrevious() {
        let cur = Intent(id: "a1", owner: "alice", ovn: "ovn-a1", version: 3, state: .ended, volumes: [F.circle()])
        let d = decide(.delete(id: "a1", ovn: "ovn-a1"), "alice", current: cur)
        #expect(d == .accepted(.delete(previous: cur), conflicts: []))
        #expect(d.change?.stored == nil && d.change?.id == "a1" && d.result == .deleted(id: "a1"))
    }

    /// Refusals are the core's, unchanged, and change nothing.
    @Test func refusalsChangeNothing() {
        let cur = Intent(id: "a1", owner: "alice", ovn: "ovn-a1", version: 3, state: .accepted, volumes: [F.circle()])
        let cases: [(IntentWrite, String, Intent?, IntentRefusal)] = [
            (.delete(id: "a1", ovn: "stale"), "alice", cur, .ovnMismatch(id: "a1", presented: "stale", current: "ovn-a1")),
            (.delete(id: "a1", ovn: "ovn-a1"), "bob", cur, .notOwner(id: "a1", owner: "alice", writer: "bob")),
            (.delete(id: "zz", ovn: "x"), "alice", nil, .notFound(id: "zz")),
            (.update(F.proposal("zz", [F.circle()]), ovn: "x", key: []), "alice", nil, .notFound(id: "zz")),
            (.create(F.proposal("a1", [F.circle()]), key: []), "alice", cur, .alreadyExists(id: "a1")),
        ]
        for (w, writer, current, refusal) in cases {
            let d = decide(w, writer, current: current)
            #expect(d == .refused(refusal) && d.change == nil && d.result == .refused(refusal))
            // The same as the core's decision.
            #expect(IntentRules.evaluate(w, writer: writer, current: current, others: []).refusal == refusal)
        }
        // Accepted volumes without index boxes cannot be stored.
        let create = IntentWrite.create(F.proposal("n1", [F.circle()]), key: [])
        let d = StoreRules.decide(create, writer: "alice", current: nil, candidates: [], newBoxes: nil)
        #expect(d == .refused(.invalidVolume(index: 0, .nonFinite(field: "bounds"))))
    }
}
