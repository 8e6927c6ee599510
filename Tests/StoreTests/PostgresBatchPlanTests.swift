import DeconflictCore
@testable import DeconflictStore
import Testing

/// How a batch of PostgreSQL writes is decided (pure: no database). The batch apply's checks
/// against a real server are in PostgresWritePathTests.
@Suite struct PostgresBatchPlanTests {
    func decide(_ writes: [(IntentWrite, String)], known: PostgresRowSet) -> PostgresBatchPlan.Outcome {
        PostgresBatchPlan.decide(writes, known: known, probe: PostgresBatchPlan.probe(writes, known: known))
    }

    func plan(_ writes: [(IntentWrite, String)], known: PostgresRowSet) throws -> PostgresBatchPlan {
        guard case let .plan(p) = decide(writes, known: known) else { throw TestFailure("needs a wider probe") }
        return p
    }

    /// Each write sees the accepted ones before it: bob's key lacks alice's new intent.
    @Test func laterWritesSeeEarlierOnes() throws {
        let writes: [(IntentWrite, String)] = [
            (.create(F.proposal("a1", [F.circle()]), key: []), "alice"),
            (.create(F.proposal("b1", [F.circle(dx: 300)]), key: []), "bob"),
        ]
        let p = try plan(writes, known: PostgresRowSet(absentIDs: ["a1", "b1"]))
        let a = try #require(p.results[0].intent)
        #expect(p.results[1].refusal == .missingKeys([MissingKey(intentID: "a1", owner: "alice", ovn: a.ovn)]))
        #expect(p.acceptedIDs == ["a1"])
        #expect(p.rows.map(\.intent) == [a] && p.rows.map(\.isNew) == [true])
        #expect(p.deletes.isEmpty && p.dropCells.isEmpty)
        // Both ids were decided as absent: the apply checks they still are.
        #expect(p.expectedIDs == ["a1", "b1"] && p.expectedOVNs == ["", ""])
    }

    /// The net effect of a batch is one row change per id.
    @Test func netEffectPerID() throws {
        let a = Intent(id: "a1", owner: "alice", ovn: "ovn-a1", version: 3, state: .accepted, volumes: [F.circle()])
        let known = PostgresRowSet(rows: [a])
        // Update, then a delete with the OVN the update replaced: refused; one updated row.
        let p = try plan([(.update(F.proposal("a1", [F.circle(dx: 50)]), ovn: a.ovn, key: []), "alice"),
                          (.delete(id: "a1", ovn: a.ovn), "alice")], known: known)
        let up = try #require(p.results[0].intent)
        #expect(up.version == 4 && p.results[1].refusal != nil)
        #expect(p.rows.count == 1 && p.rows[0].intent == up && !p.rows[0].isNew)
        #expect(p.dropCells == ["a1"] && p.deletes.isEmpty)
        #expect(p.expectedIDs == ["a1"] && p.expectedOVNs == ["ovn-a1"])
        // A delete: the row and its index rows go.
        let d = try plan([(.delete(id: "a1", ovn: a.ovn), "alice")], known: known)
        #expect(d.results == [.deleted(id: "a1")] && d.deletes == ["a1"] && d.dropCells == ["a1"] && d.rows.isEmpty)
        // Two creates of one id: the second is refused; one new row.
        let c = try plan([(.create(F.proposal("n1", [F.circle(dx: 9_000)]), key: []), "bob"),
                          (.create(F.proposal("n1", [F.circle(dx: 9_500)]), key: []), "carol")],
                         known: PostgresRowSet(absentIDs: ["n1"]))
        #expect(c.results[1].refusal == .alreadyExists(id: "n1"))
        #expect(c.rows.count == 1 && c.rows[0].isNew && c.rows[0].intent.owner == "bob")
    }

    /// What the apply checks: the written ids and the known rows overlapping a write's probe
    /// boxes; rows elsewhere are not relied on.
    @Test func expectedRowsAreThoseInTheProbe() throws {
        let near = Intent(id: "near", owner: "carol", ovn: "ovn-near", state: .accepted, volumes: [F.circle(dx: 800)])
        let far = Intent(id: "far", owner: "carol", ovn: "ovn-far", state: .accepted, volumes: [F.circle(dx: 30_000)])
        let p = try plan([(.create(F.proposal("b1", [F.circle()]), key: ["ovn-near"]), "bob")],
                         known: PostgresRowSet(rows: [near, far], absentIDs: ["b1"]))
        #expect(p.results[0].isAccepted)
        #expect(p.expectedIDs == ["b1", "near"] && p.expectedOVNs == ["", "ovn-near"])
        #expect(p.probeBoxes == VolumeBounds.boxes([F.circle()]))
    }

    /// An update of an Activated intent is also decided on the conflicts of its OLD volumes:
    /// if the probe lacks them, the plan asks for them instead of deciding without them.
    @Test func activatedUpdateNeedsItsOldBoxesProbed() throws {
        let a = Intent(id: "a1", owner: "alice", ovn: "ovn-a1", state: .activated, volumes: [F.circle()])
        let w: [(IntentWrite, String)] = [(.update(F.proposal("a1", [F.circle(dx: 40_000)], state: .activated),
                                                   ovn: a.ovn, key: []), "alice")]
        // Known only after the probe was built (the read found the row): ask for the old boxes.
        let newOnly = VolumeBounds.boxes([F.circle(dx: 40_000)]) ?? []
        guard case let .probeMore(more) = PostgresBatchPlan.decide(w, known: PostgresRowSet(rows: [a]), probe: newOnly) else {
            Issue.record("decided without the old volumes"); return
        }
        #expect(more == VolumeBounds.boxes(a.volumes))
        // With them (as `probe` builds it from the known row): decided.
        let p = try plan(w, known: PostgresRowSet(rows: [a]))
        #expect(p.results[0].isAccepted)
        #expect(Set(p.probeBoxes) == Set(newOnly + more))
    }
}
