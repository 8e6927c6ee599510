import Testing
import DeconflictCore

/// Encounters with hand-derived expectations, replayed at 1 Hz through the Phase I alerter.
///
/// Positions are laid out on the equator and on meridians, where one arc minute is one NM on
/// the alerting sphere, so the tangent-plane geometry is the plain NM geometry to ~1e-4 NM.
/// Tau-mod entry for a closure at speed Vc with lateral miss m: the range x along the closure
/// solves x² + m² − TTHR·Vc·x − DTHR² = 0 (|s|² + TTHR·s·v = DTHR²).
@Suite struct EncounterTests {
    /// An aircraft `eastNM`/`northNM` from (0°, 0°) at time t, moving along a great circle
    /// (the equator when trk = 90, a meridian when trk = 0 or 180).
    static func state(_ id: String, t: Double, eastNM: Double, northNM: Double, trk: Double,
                      gsKt: Double, altFt: Double, vsFpm: Double = 0) -> AircraftState {
        let d = gsKt * t / 3600
        let rad = trk * .pi / 180
        let e = eastNM + d * sin(rad), n = northNM + d * cos(rad)
        return AircraftState(id: id, time: t, lat: n / 60, lon: e / 60, altFt: altFt + vsFpm * t / 60,
                             gsKt: gsKt, trkDeg: trk, vsFpm: vsFpm)
    }

    /// Runs t = 0…duration and returns the filtered level at each second.
    static func levels(duration: Int, alerter: Alerter = .phase1,
                       own: (Double) -> AircraftState, intruder: (Double) -> AircraftState) -> [Int] {
        var a = OwnshipAlerting(alerter: alerter)
        return (0...duration).map { i in
            let t = Double(i)
            return a.step(ownship: own(t), intruders: [intruder(t)], time: t)[0].assessment.level
        }
    }

    /// First second at which the level is `k` or more.
    static func first(_ levels: [Int], atLeast k: Int) -> Int? { levels.firstIndex { $0 >= k } }

    /// Range at which the tau_mod test is entered, NM.
    static func tauModEntryRange(closureKt: Double, missNM m: Double, dthrNM d: Double = 0.66, tthr: Double = 35) -> Double {
        let b = tthr * closureKt / 3600
        return (b + (b * b + 4 * (d * d - m * m)).squareRoot()) / 2
    }

    @Test func crossingAtRightAngles() {
        // Both 15 NM from the crossing point, 300 kt, same altitude: closure 300√2 kt,
        // range 15√2 NM, miss 0.
        let vc = 300 * 2.0.squareRoot()
        let entry = (15 * 2.0.squareRoot() - Self.tauModEntryRange(closureKt: vc, missNM: 0)) / (vc / 3600)
        #expect(abs(entry - 144.125) < 0.01)
        let lv = Self.levels(duration: 240,
            own: { Self.state("own", t: $0, eastNM: -15, northNM: 0, trk: 90, gsKt: 300, altFt: 9000) },
            intruder: { Self.state("int", t: $0, eastNM: 0, northNM: -15, trk: 0, gsKt: 300, altFt: 9000) })
        // Raw level 2 once entry − t ≤ 55 (t ≥ 89.1 → 90), output one step later (2 of 4).
        #expect(Self.first(lv, atLeast: 1) == 91)
        #expect(lv[91] == 2)
        // Raw level 3 once entry − t ≤ 25 (t ≥ 119.1 → 120), output at 121.
        #expect(Self.first(lv, atLeast: 3) == 121)
        // Exit of the DTHR circle: CPA at 180 s + 0.66 NM / Vc = 185.6 s; last raw 3 at 185,
        // M of N holds it through 187.
        #expect(lv[187] == 3)
        #expect(lv[188...].allSatisfy { $0 == 0 })
    }

    @Test func overtaking() {
        // Ownship 250 kt overtakes an intruder at 150 kt, 5 NM ahead, 0.3 NM to the side.
        let x = Self.tauModEntryRange(closureKt: 100, missNM: 0.3)
        let entry = (5 - x) / (100.0 / 3600)
        #expect(abs(entry - 135.04) < 0.01)
        let lv = Self.levels(duration: 150,
            own: { Self.state("own", t: $0, eastNM: 0, northNM: 0, trk: 0, gsKt: 250, altFt: 5000) },
            intruder: { Self.state("int", t: $0, eastNM: 0.3, northNM: 5, trk: 0, gsKt: 150, altFt: 5000) })
        // Raw 2 from t ≥ entry − 55 = 80.04 → 81, output 82; raw 3 from 110.04 → 111, output 112.
        #expect(Self.first(lv, atLeast: 1) == 82)
        #expect(lv[82] == 2)
        #expect(Self.first(lv, atLeast: 3) == 112)
    }

    @Test func climbIntoLevelTraffic() {
        // Same horizontal track (horizontally inside DTHR throughout); ownship climbs at
        // 1100 fpm from 2000 ft below a level intruder.
        // 700 ft reached at 1300/(1100/60) = 70.9 s, 450 ft at 84.5 s, co-altitude at 109.1 s,
        // 450 ft above at 133.6 s.
        let lv = Self.levels(duration: 160,
            own: { Self.state("own", t: $0, eastNM: 0, northNM: 0, trk: 0, gsKt: 200, altFt: 10_000, vsFpm: 1100) },
            intruder: { Self.state("int", t: $0, eastNM: 0, northNM: 0, trk: 0, gsKt: 200, altFt: 12_000) })
        // Level 1 (ZTHR 700 ft): raw when 70.9 − t ≤ 55 → 16, output 17.
        #expect(Self.first(lv, atLeast: 1) == 17)
        #expect(lv[17] == 1)
        // Level 2 (ZTHR 450 ft): raw when 84.5 − t ≤ 55 → 30, output 31.
        #expect(Self.first(lv, atLeast: 2) == 31)
        #expect(lv[31] == 2)
        // Level 3: raw when 84.5 − t ≤ 25 → 60, output 61.
        #expect(Self.first(lv, atLeast: 3) == 61)
        // Leaves the 450 ft slab at 133.6 s: last raw 3 at 133, held by M of N to 135; still
        // inside the 700 ft slab (preventive) until 147.3 s: level 1 from 136 to 149 (M of N).
        #expect(lv[135] == 3)
        #expect(lv[136...149].allSatisfy { $0 == 1 })
        #expect(lv[150...].allSatisfy { $0 == 0 })
    }

    @Test func divergingRaisesNothing() {
        // 3 NM apart and flying apart at the same altitude.
        var a = OwnshipAlerting(alerter: .phase1)
        for i in 0...120 {
            let t = Double(i)
            let out = a.step(ownship: Self.state("own", t: t, eastNM: 0, northNM: 0, trk: 180, gsKt: 250, altFt: 8000),
                             intruders: [Self.state("int", t: t, eastNM: 0, northNM: 3, trk: 0, gsKt: 250, altFt: 8000)],
                             time: t)[0].assessment
            #expect(out.level == 0)
            #expect(out.timeToLevel.allSatisfy { $0.isInfinite })
            #expect(out.tauMod == nil)
            #expect(out.tcpa == 0)
        }
    }

    @Test func levelDoesNotFlickerAroundTheWarningThreshold() {
        // Head-on closure at 400 kt whose tau_mod entry time alternates between 24.5 s and
        // 25.5 s around the 25 s warning time (as noisy surveillance would make it).
        let vc = 400.0 / 3600 * 1852          // m/s
        let x = Self.tauModEntryRange(closureKt: 400, missNM: 0) * 1852
        func rel(_ entry: Double) -> RelativeState {
            RelativeState(sx: 0, sy: x + entry * vc, sz: 0, vx: 0, vy: -vc, vz: 0)
        }
        #expect(abs(Alerter.phase1.timeToViolation(level: 3, rel(24.5)) - 24.5) < 1e-6)
        // Unfiltered, the raw level would alternate 3, 2, 3, 2, …
        #expect(Alerter.phase1.rawLevel(rel(24.5)) == 3)
        #expect(Alerter.phase1.rawLevel(rel(25.5)) == 2)
        // Mostly just above 25 s, dipping below now and then.
        let entries: [Double] = (0..<40).map { $0 % 5 == 0 || $0 == 1 ? 24.5 : 26 }
        func replay(_ alerter: Alerter) -> [Int] {
            var f = AlertFilter(alerter.filter)
            return entries.enumerated().map { i, e in
                f.update(raw: alerter.rawLevel(rel(e), held: f.held), at: Double(i))
            }
        }
        let out = replay(.phase1)
        #expect(out[0] == 0)
        #expect(out[1] == 3)
        // Once raised, the early alerting time (55 s) keeps level 3 while the threat stays.
        #expect(out[1...].allSatisfy { $0 == 3 })
        // Control: without early alerting times the same geometry drops back to level 2
        // between the dips.
        var noEarly = Alerter.phase1
        noEarly.levels = noEarly.levels.map {
            AlertLevel(name: $0.name, volume: $0.volume, alertingTime: $0.alertingTime, earlyAlertingTime: $0.alertingTime)
        }
        let control = replay(noEarly)
        #expect(control[1] == 3)
        #expect(control.contains(2))
    }
}
