import Testing
@testable import DeconflictCore

/// Hand-derived encounters: each expectation is computed here from first principles
/// (distances and closing speeds), not read back from the code under test.
@Suite struct PairGeometryTests {
    let p = DetectionParameters.classic
    let rpz = Units.nm(5)
    /// Metres per degree of latitude on the detector's sphere.
    let mPerDeg = Units.earthRadius * .pi / 180

    func state(_ id: String, _ lat: Double, _ lon: Double, ft: Double, kt: Double, trk: Double, fpm: Double = 0) -> AircraftState {
        AircraftState(id: id, lat: lat, lon: lon, altFt: ft, gsKt: kt, trkDeg: trk, vsFpm: fpm)
    }

    @Test func headOn() throws {
        let a = state("A", 0, 0, ft: 35000, kt: 450, trk: 0)
        let b = state("B", 1, 0, ft: 35000, kt: 450, trk: 180)
        let g = try #require(StateBased.evaluate(a, b, parameters: p))
        let closing = 2 * Units.kt(450), d = mPerDeg
        #expect(abs(g.tcpa - d / closing) < 1e-6)
        #expect(g.dcpa < 1e-6)
        #expect(abs(g.tin - (d - rpz) / closing) < 1e-6)
        #expect(abs(g.tout - (d + rpz) / closing) < 1e-6)
        #expect(!g.los)
        #expect(abs(g.distance - d) < 1e-6)
    }

    @Test func crossingAtRightAngles() throws {
        // A flies east along the equator, B north towards the same point; both reach it at t = 200 s.
        let v = Units.kt(400), t = 200.0
        let a = state("A", 0, -Units.deg(v * t / Units.earthRadius), ft: 30000, kt: 400, trk: 90)
        let b = state("B", -Units.deg(v * t / Units.earthRadius), 0, ft: 30000, kt: 400, trk: 0)
        let g = try #require(StateBased.evaluate(a, b, parameters: p))
        #expect(abs(g.tcpa - t) < 1e-3)
        #expect(g.dcpa < 0.5)   // the mean-latitude frame bends the geometry by a few cm
        // Relative speed is v·√2; entry is rpz before CPA along the relative track.
        #expect(abs(g.tin - (t - rpz / (v * 2.0.squareRoot()))) < 1e-2)
    }

    @Test func overtaking() throws {
        let a = state("A", 0, 0, ft: 20000, kt: 500, trk: 0)
        let b = state("B", 0.1, 0, ft: 20000, kt: 400, trk: 0)
        let g = try #require(StateBased.evaluate(a, b, parameters: p))
        let closing = Units.kt(100), d = 0.1 * mPerDeg
        #expect(abs(g.tin - (d - rpz) / closing) < 1e-6)
        #expect(abs(g.tcpa - d / closing) < 1e-6)
    }

    @Test func overtakingTooSlowForTheLookahead() {
        // Closing at 10 kt from 10 NM: entry after (10-5) NM / 10 kt = 1800 s > 300 s.
        let a = state("A", 0, 0, ft: 20000, kt: 410, trk: 0)
        let b = state("B", Units.deg(Units.nm(10) / Units.earthRadius), 0, ft: 20000, kt: 400, trk: 0)
        #expect(StateBased.evaluate(a, b, parameters: p) == nil)
    }

    @Test func climbingThroughLevelTraffic() throws {
        // Same position and velocity horizontally; B 5000 ft below climbing 1000 fpm:
        // it enters the ±1000 ft slab after 4000 ft, i.e. 240 s.
        let a = state("A", 10, 10, ft: 30000, kt: 300, trk: 45)
        let b = state("B", 10, 10.02, ft: 25000, kt: 300, trk: 45, fpm: 1000)
        let g = try #require(StateBased.evaluate(a, b, parameters: p))
        #expect(abs(g.tin - 240) < 1e-6)
        #expect(abs(g.tout - 360) < 1e-6)
        // With a 200 s lookahead the same pair is not (yet) a conflict.
        #expect(StateBased.evaluate(a, b, parameters: DetectionParameters(lookaheadS: 200)) == nil)
    }

    @Test func levelPairExactly1000ftApartIsSeparated() {
        for base in stride(from: 1000.0, through: 45000, by: 1000) {
            let a = state("A", 0, 0, ft: base, kt: 450, trk: 0)
            let b = state("B", 0.01, 0, ft: base + 1000, kt: 450, trk: 180)
            #expect(StateBased.evaluate(a, b, parameters: p) == nil, "FL\(Int(base / 100)) vs +1000 ft")
            let c = state("C", 0.01, 0, ft: base + 999, kt: 450, trk: 180)
            #expect(StateBased.evaluate(a, c, parameters: p)?.los == true)
        }
    }

    @Test func exactlyAtTheHorizontalMinimumIsSeparated() {
        // Parallel, same speed, exactly 5 NM abeam: never closer, so separated.
        let dLon = Units.deg(rpz / Units.earthRadius)
        let a = state("A", 0, 0, ft: 30000, kt: 400, trk: 0)
        let b = state("B", 0, dLon * 1.000001, ft: 30000, kt: 400, trk: 0)
        #expect(StateBased.evaluate(a, b, parameters: p) == nil)
        let c = state("C", 0, dLon * 0.999999, ft: 30000, kt: 400, trk: 0)
        #expect(StateBased.evaluate(a, c, parameters: p)?.los == true)
    }

    @Test func divergingPairIsNoConflict() {
        let a = state("A", 0, 0, ft: 30000, kt: 450, trk: 180)
        let b = state("B", 0.1, 0, ft: 30000, kt: 450, trk: 0)
        #expect(StateBased.evaluate(a, b, parameters: p) == nil)
    }

    @Test func acrossTheAntimeridian() throws {
        // 0.1° of longitude apart at 10N across ±180, flying at each other.
        let a = state("A", 10, 179.95, ft: 33000, kt: 450, trk: 90)
        let b = state("B", 10, -179.95, ft: 33000, kt: 450, trk: 270)
        let g = try #require(StateBased.evaluate(a, b, parameters: p))
        let d = 0.1 * mPerDeg * cos(Units.rad(10))
        #expect(abs(g.distance - d) < 1e-6)
        #expect(abs(g.tin - (d - rpz) / (2 * Units.kt(450))) < 1e-6)
        #expect(StateBased.evaluate(b, a, parameters: p)?.tin == g.tin)
    }

    @Test func acrossThePole() throws {
        // On opposite meridians 0.05° from the North Pole: 2·R·0.05° apart through the
        // pole, both flying towards it (track 0 and track 0 on their own meridians).
        let a = state("A", 89.95, 0, ft: 36000, kt: 480, trk: 0)
        let b = state("B", 89.95, 180, ft: 36000, kt: 480, trk: 0)
        let g = try #require(StateBased.evaluate(a, b, parameters: p))
        let d = 2 * 0.05 * mPerDeg
        #expect(abs(g.distance - d) < 1)   // orthographic vs great circle: sub-metre
        #expect(abs(g.tcpa - d / (2 * Units.kt(480))) < 0.1)
        #expect(abs(g.tin - (d - rpz) / (2 * Units.kt(480))) < 0.1)
    }

    @Test func nearThePoleMatchesGreatCircleDistance() throws {
        // At 88N, 1° of longitude apart: great-circle distance by the haversine formula.
        let a = state("A", 88, 20, ft: 36000, kt: 0, trk: 0)
        let b = state("B", 88, 21, ft: 36000, kt: 0, trk: 0)
        let g = try #require(StateBased.evaluate(a, b, parameters: p))
        let f = Units.rad(88), dl = Units.rad(1)
        let hav = cos(f) * cos(f) * pow(sin(dl / 2), 2)
        let gc = 2 * Units.earthRadius * asin(hav.squareRoot())
        #expect(abs(g.distance - gc) < 0.01)
        #expect(g.los)
    }

    @Test func symmetricInTheOrderOfThePair() throws {
        let a = state("A", 35, 38, ft: 31000, kt: 420, trk: 33, fpm: -1200)
        let b = state("B", 35.2, 38.1, ft: 29000, kt: 380, trk: 200, fpm: 800)
        let g1 = try #require(StateBased.evaluate(a, b, parameters: p))
        let g2 = try #require(StateBased.evaluate(b, a, parameters: p))
        #expect(abs(g1.tin - g2.tin) < 1e-9 && abs(g1.dcpa - g2.dcpa) < 1e-9)
    }
}
