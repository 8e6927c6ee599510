import Testing
@testable import DeconflictCore

/// The encounter book driven by the core's `Cycle` with injected time: no server, no sleeps.
@Suite struct EncounterBookTests {
    /// Blue eastbound and red westbound at FL200, 400 kt each, `gapNM` apart on the 35N parallel.
    static func headOn(gapNM: Double = 20, at t: Double = 0) -> [AircraftState] {
        let dLon = gapNM / (60 * cos(Units.rad(35)))
        let blue = AircraftState(id: "BLU1", time: 0, lat: 35, lon: 38, altFt: 20_000, gsKt: 400, trkDeg: 90, vsFpm: 0)
        let red = AircraftState(id: "RED1", time: 0, lat: 35, lon: 38 + dLon, altFt: 20_000, gsKt: 400, trkDeg: 270, vsFpm: 0)
        return [blue.projected(by: t), red.projected(by: t)]
    }

    static let parties = ["blue", "red"]

    static func side(_ states: [AircraftState], _ parties: [String]) -> (Int) -> EncounterSide {
        { i in EncounterSide(id: states[i].id, party: parties[i], reportTime: states[i].time) }
    }

    /// One cycle at `t` on `states`, applied to `book` with the copy taken just before.
    static func cycle(_ c: inout Cycle, _ book: inout EncounterBook, _ states: [AircraftState],
                      parties: [String] = parties, t: Double) -> [EncounterChange] {
        let copied = book.generation
        let outcome = c.run(states, parties: parties, time: t)
        return book.apply(outcome, copiedAt: copied, side: side(states, parties))
    }

    static func newCycle() -> Cycle { Cycle(detector: ConflictDetector(threads: 1), alerter: .phase1) }

    @Test func opensRaisesLevelsAndResolves() {
        var c = Self.newCycle()
        var book = EncounterBook()
        var all: [(t: Double, change: EncounterChange)] = []
        for k in 0...400 {
            let t = Double(k)
            for ch in Self.cycle(&c, &book, Self.headOn(at: t), t: t) { all.append((t, ch)) }
        }
        // 20 NM apart closing at 800 kt: a classic conflict from the first cycle (loss of 5 NM in
        // 67.5 s < 300 s), so it opens at level 0 at t = 0.
        let first = all.first!
        #expect(first.t == 0 && first.change.kind == .opened && first.change.encounter.level == 0)
        #expect(first.change.trigger == .cycle)
        #expect(first.change.encounter.a == "BLU1" && first.change.encounter.partyA == "blue")
        #expect(first.change.encounter.partyB == "red")
        // Levels rise while closing (collision at t = 90 s), each change one event, up to 3.
        let rising = all.filter { $0.change.kind == .levelChanged && $0.t < 90 }
        let levels = rising.map(\.change.encounter.level)
        #expect(levels == levels.sorted(), "levels \(levels) should only rise before the collision")
        #expect(levels.last == 3)
        #expect(rising.allSatisfy { $0.change.levelChanged })
        // Hand-derived: closing at 2 × 400 kt = 411.6 m/s from 37,040 m, the tau_mod test
        // (|s|² − TTHR·|s|·v ≤ DTHR², TTHR 35 s, DTHR 0.66 NM) is met from |s| = 14,508 m, i.e.
        // 54.75 s in: within the 55 s of the corrective level at once (raw 2 from t = 0, output
        // at t = 1 with 2 of 4), within the warning's 25 s from t = 29.75 (raw 3 from 30,
        // output at 31).
        #expect(rising.first?.t == 1 && rising.first?.change.encounter.level == 2)
        let warning = rising.first { $0.change.encounter.level == 3 }!
        #expect(warning.t == 31)
        // Resolved once apart and diverging; by then the level has dropped (an update first).
        let last = all.last!
        #expect(last.change.kind == .resolved && last.change.encounter.level == 0)
        #expect(last.change.encounter.timeToViolation == nil)
        #expect(last.t > 90 && last.t < 400)
        #expect(book.count == 0)
        #expect(all.filter { $0.change.kind == .opened }.count == 1)
    }

    @Test func aircraftOfOnePartyNeverMeet() {
        var c = Self.newCycle()
        var book = EncounterBook()
        for k in 0...100 {
            let changes = Self.cycle(&c, &book, Self.headOn(at: Double(k)), parties: ["blue", "blue"], t: Double(k))
            #expect(changes.isEmpty)
        }
    }

    @Test func aStaleTrackResolvesItsEncounter() {
        var c = Self.newCycle()
        var book = EncounterBook()
        #expect(Self.cycle(&c, &book, Self.headOn(at: 0), t: 0).map(\.kind) == [.opened])
        // Red's track aged out (the service drops it before the cycle): the pair is resolved.
        let blueOnly = [Self.headOn(at: 1)[0]]
        let changes = Self.cycle(&c, &book, blueOnly, parties: ["blue"], t: 1)
        #expect(changes.map(\.kind) == [.resolved])
        #expect(book.count == 0)
    }

    @Test func aReportAfterTheCopyIsNotResolvedByThatCycle() {
        var c = Self.newCycle()
        var book = EncounterBook()
        let s0 = Self.headOn(at: 0)
        _ = Self.cycle(&c, &book, s0, t: 0)
        #expect(book.count == 1)
        // The next cycle copies its picture (without red: say red's last report was stale) ...
        let copied = book.generation
        let blueOnly = [Self.headOn(at: 1)[0]]
        let outcome = c.run(blueOnly, parties: ["blue"], time: 1)
        // ... a fresh report of red updates the pair before the cycle applies ...
        let red = LiveAircraft(state: Self.headOn(at: 1)[1], party: "red")
        let g = StateBased.evaluate(red.state, Self.headOn(at: 1)[0], parameters: .classic)
        #expect(g != nil)
        _ = book.observe(red.side, LiveAircraft(state: blueOnly[0], party: "blue").side, classic: g,
                         alert: .notAssessed, trigger: .report)
        // ... so that cycle, which could not see the report, does not resolve it.
        #expect(book.apply(outcome, copiedAt: copied, side: Self.side(blueOnly, ["blue"])).isEmpty)
        #expect(book.count == 1)
        // The cycle after that one does.
        #expect(Self.cycle(&c, &book, [Self.headOn(at: 2)[0]], parties: ["blue"], t: 2).map(\.kind) == [.resolved])
    }

    @Test func notAssessedKeepsTheLevel() {
        var book = EncounterBook()
        let s = Self.headOn(gapNM: 3)
        let (x, y) = (EncounterSide(id: s[0].id, party: "blue", reportTime: 0), EncounterSide(id: s[1].id, party: "red", reportTime: 0))
        let r = TangentPlane.relative(own: .init(s[0]), intruder: .init(s[1]))
        let opened = book.observe(x, y, classic: nil, alert: .assessed(AlertSample(level: 2, rawLevel: 2, relative: r, timeToViolation: 10)),
                                  trigger: .report)
        #expect(opened?.kind == .opened && opened?.encounter.level == 2)
        // Not assessed (the cycle was busy): the level and its time to violation stay.
        #expect(book.observe(x, y, classic: nil, alert: .notAssessed, trigger: .report) == nil)
        #expect(book[EncounterKey("BLU1", "RED1")]?.level == 2)
        #expect(book[EncounterKey("BLU1", "RED1")]?.timeToViolation == 10)
        // Assessed at 0 while not a classic conflict: an update to 0 (resolving is the cycle's).
        let dropped = book.observe(x, y, classic: nil, alert: .assessed(nil), trigger: .report)
        #expect(dropped?.kind == .levelChanged && dropped?.previousLevel == 2 && dropped?.encounter.level == 0)
        #expect(book.count == 1)
    }

    @Test func aReportIsCheckedAtOnceUnlessItAgreesWithThePrediction() {
        var c = Self.newCycle()
        var book = EncounterBook()
        // Far apart: 200 NM, no conflict at the cycle.
        let s = Self.headOn(gapNM: 200)
        let outcome = c.run(s, parties: Self.parties, time: 0)
        #expect(book.apply(outcome, copiedAt: book.generation, side: Self.side(s, Self.parties)).isEmpty)
        var tracks = [s[0].id: LiveAircraft(state: s[0], party: "blue"), s[1].id: LiveAircraft(state: s[1], party: "red")]
        var mark = [Int32](repeating: -1, count: s.count)
        func check(_ me: LiveAircraft, tag: Int32) -> [EncounterChange]? {
            tracks[me.state.id] = me
            return book.checkReport(me, snapshot: outcome.snapshot, now: me.state.time, detection: .classic,
                                    current: { tracks[$0] }, assess: { _, _ in .notAssessed }, mark: &mark, tag: tag)
        }
        // Red 2 s later, where the cycle predicted it: skipped.
        #expect(check(LiveAircraft(state: s[1].projected(by: 2), party: "red"), tag: 0) == nil)
        // A new red aircraft 10 NM ahead of blue, head-on: checked at once, opened by the report.
        let intruder = AircraftState(id: "RED9", time: 2, lat: 35, lon: 38 + 10 / (60 * cos(Units.rad(35))),
                                     altFt: 20_000, gsKt: 400, trkDeg: 270, vsFpm: 0)
        let changes = check(LiveAircraft(state: intruder, party: "red"), tag: 1)
        #expect(changes?.map(\.kind) == [.opened])
        #expect(changes?.first?.trigger == .report)
        #expect(changes?.first?.encounter.key == EncounterKey("BLU1", "RED9"))
    }

    @Test func agreementTolerances() {
        let s = Self.headOn()[0]
        #expect(EncounterBook.agrees(s, s))
        var turned = s; turned.trk += 1   // 400 kt: 1° is 7 kt across
        #expect(!EncounterBook.agrees(s, turned))
        var climbed = s; climbed.alt += 10
        #expect(EncounterBook.agrees(s, climbed))
        climbed.alt += 10
        #expect(!EncounterBook.agrees(s, climbed))
    }
}
