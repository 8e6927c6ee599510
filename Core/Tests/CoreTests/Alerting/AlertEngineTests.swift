import Testing
import DeconflictCore

@Suite struct AlertEngineTests {
    /// Head-on pair (A, B) and a third aircraft C of A's party converging on A.
    static func picture(_ t: Double) -> [AircraftState] {
        func st(_ id: String, east: Double, north: Double, trk: Double, alt: Double) -> AircraftState {
            let d = 300 * t / 3600, r = trk * .pi / 180
            return AircraftState(id: id, time: t, lat: (north + d * cos(r)) / 60, lon: (east + d * sin(r)) / 60,
                                 altFt: alt, gsKt: 300, trkDeg: trk, vsFpm: 0)
        }
        return [st("A", east: 0, north: 0, trk: 0, alt: 9000),
                st("B", east: 0.1, north: 12, trk: 180, alt: 9000),
                st("C", east: -8, north: 8, trk: 90, alt: 9000)]
    }

    @Test func crossPartyOnlyAndSameLevelsAsOwnshipAlerting() {
        var engine = AlertEngine(alerter: .phase1)
        var single = OwnshipAlerting(alerter: .phase1)
        for i in 0...90 {
            let t = Double(i)
            let states = Self.picture(t)
            // A and C are one party: only A–B and B–C can alert.
            let alerts = engine.step(states: states, parties: [0, 1, 0], time: t)
            #expect(alerts.allSatisfy { Set([states[$0.first].id, states[$0.second].id]) != ["A", "C"] })
            let ab = alerts.first { Set([states[$0.first].id, states[$0.second].id]) == ["A", "B"] }?.level ?? 0
            let ref = single.step(ownship: states[0], intruders: [states[1]], time: t)[0].assessment.level
            #expect(ab == ref, "t=\(t)")
        }
        // Without parties, A–C alerts too (they converge on the same point at the same time).
        var all = AlertEngine(alerter: .phase1)
        var sawAC = false
        for i in 0...90 {
            let states = Self.picture(Double(i))
            sawAC = sawAC || all.step(states: states, time: Double(i)).contains {
                Set([states[$0.first].id, states[$0.second].id]) == ["A", "C"]
            }
        }
        #expect(sawAC)
    }

    @Test func assessingOnePairSharesTheFilterWithSteps() {
        // Assessing A–B alone, step by step, gives the same levels as stepping the picture
        // (the filter is the same), and the two can be interleaved.
        var stepped = AlertEngine(alerter: .phase1)
        var mixed = AlertEngine(alerter: .phase1)
        var raised = 0
        for i in 0...90 {
            let t = Double(i)
            let states = Self.picture(t)
            let ref = stepped.step(states: states, parties: [0, 1, 0], time: t)
                .first { Set([states[$0.first].id, states[$0.second].id]) == ["A", "B"] }?.level ?? 0
            let got: Int
            if i % 3 == 0 {
                got = mixed.step(states: states, parties: [0, 1, 0], time: t)
                    .first { Set([states[$0.first].id, states[$0.second].id]) == ["A", "B"] }?.level ?? 0
            } else {
                got = mixed.assess(states[1], states[0], time: t)?.level ?? 0
            }
            #expect(got == ref, "t=\(t)")
            if ref > 0 { raised += 1 }
        }
        #expect(raised > 10)
        // A far, diverging pair raises nothing and keeps no state.
        var e = AlertEngine(alerter: .phase1)
        let far = AircraftState(id: "F", time: 0, lat: 10, lon: 10, altFt: 9000, gsKt: 300, trkDeg: 90, vsFpm: 0)
        #expect(e.assess(Self.picture(0)[0], far, time: 0) == nil)
        #expect(e.trackedPairs == 0)
    }

    @Test func internedIDsStayBoundedAndPairStateSurvivesCompaction() {
        // Each step brings 40 aircraft never seen before (far away); A–B keep alerting.
        var busy = AlertEngine(alerter: .phase1)
        var plain = AlertEngine(alerter: .phase1)
        var maxInterned = 0
        for i in 0...90 {
            let t = Double(i)
            let ab = Array(Self.picture(t).prefix(2))
            let passers = (0..<40).map { k in
                AircraftState(id: "N\(i)-\(k)", time: t, lat: 10 + Double(k) * 0.5, lon: 100, altFt: 9000, gsKt: 300, trkDeg: 90, vsFpm: 0)
            }
            let got = busy.step(states: passers + ab, parties: nil, time: t)
                .first { Set([(passers + ab)[$0.first].id, (passers + ab)[$0.second].id]) == ["A", "B"] }?.level ?? 0
            let ref = plain.step(states: ab, parties: nil, time: t).first?.level ?? 0
            #expect(got == ref, "t=\(t)")
            maxInterned = max(maxInterned, busy.internedCount)
        }
        #expect(maxInterned <= 2 * 42 + 1_024 + 42)
    }

    @Test func orderOfStatesDoesNotMatter() {
        var e1 = AlertEngine(alerter: .phase1), e2 = AlertEngine(alerter: .phase1)
        for i in 0...80 {
            let s = Self.picture(Double(i))
            let a1 = e1.step(states: s, time: Double(i)).map { [s[$0.first].id, s[$0.second].id].sorted() + ["\($0.level)"] }
            let r = Array(s.reversed())
            let a2 = e2.step(states: r, time: Double(i)).map { [r[$0.first].id, r[$0.second].id].sorted() + ["\($0.level)"] }
            #expect(Set(a1) == Set(a2))
        }
    }

    @Test func anAircraftListedTwiceIsNotItsOwnIntruder() {
        var engine = AlertEngine(alerter: .phase1)
        let a = Self.picture(0)[0]
        for i in 0..<5 {
            var later = a; later.time = Double(i)
            #expect(engine.step(states: [later, later], time: Double(i)).isEmpty)
        }
        #expect(engine.stats.candidatePairs == 0)
    }

    @Test func staleTrackDropsThePairState() {
        var engine = AlertEngine(alerter: .phase1)
        var raised = false
        for i in 0...80 {
            let s = Self.picture(Double(i))
            raised = raised || !engine.step(states: [s[0], s[1]], time: Double(i)).isEmpty
        }
        #expect(raised)
        #expect(engine.trackedPairs == 1)
        // B disappears: its pair is dropped at once, nothing is reported.
        let s = Self.picture(81)
        #expect(engine.step(states: [s[0]], time: 81).isEmpty)
        #expect(engine.trackedPairs == 0)
    }

    @Test func broadPhaseMissesNoAlertingPair() {
        // Random dense traffic; every pair that can raise a level (with the early alerting
        // times) must be a broad-phase candidate.
        var rng = SeededRandom(seed: 7)
        var states: [AircraftState] = []
        for k in 0..<600 {
            states.append(AircraftState(id: "X\(k)", lat: 45 + rng.uniform(-0.5, 0.5), lon: 7 + rng.uniform(-0.7, 0.7),
                                        altFt: rng.uniform(0, 1) < 0.5 ? 10_000 : rng.uniform(8_000, 12_000),
                                        gsKt: rng.uniform(80, 550), trkDeg: rng.uniform(0, 360),
                                        vsFpm: rng.uniform(0, 1) < 0.6 ? 0 : rng.uniform(-4000, 4000)))
        }
        for alerter in [Alerter.phase1, .nonCooperative, .cylinder] {
            let pts = states.map(TangentPlane.Point.init)
            var cand = Set<Int>()
            BroadPhase(TrafficPicture(states), reach: .alerting(alerter)).forEachPair { i, j in
                #expect(!cand.contains(min(i, j) * 1000 + max(i, j)), "pair reported twice")
                cand.insert(min(i, j) * 1000 + max(i, j))
            }
            var needed = 0
            for i in 0..<pts.count {
                for j in (i + 1)..<pts.count {
                    let r = TangentPlane.relative(own: pts[i], intruder: pts[j])
                    if alerter.rawLevel(r, held: alerter.levels.count) > 0 {
                        needed += 1
                        #expect(cand.contains(i * 1000 + j), "\(alerter.name) missed \(i)-\(j)")
                    }
                }
            }
            #expect(needed > 0, "\(alerter.name): the test picture should contain alerting pairs")
            #expect(cand.count < pts.count * (pts.count - 1) / 4, "\(alerter.name): broad phase should prune")
        }
    }
}
