import Testing
@testable import DeconflictCore

/// The broad phase must never lose a pair: compare with the brute-force n² reference on
/// seeded random traffic in regions that stress it (dense, continental, antimeridian,
/// polar cap, tiny zones, long lookahead).
@Suite struct BroadPhaseTests {
    func traffic(_ n: Int, seed: UInt64, lat0: Double, lon0: Double, boxKm: Double) -> [AircraftState] {
        var g = TrafficGenerator(region: .dense)
        g.lat0 = lat0; g.lon0 = lon0; g.boxKm = boxKm
        return g.generate(n, seed: seed).map { s in
            var s = s; s.lon = Units.wrap180(s.lon); return s
        }
    }

    func key(_ c: [Conflict], _ t: TrafficPicture) -> [String] { c.map { "\(t.ids[$0.a])|\(t.ids[$0.b])" } }

    @Test(arguments: [
        (35.0, 38.0, 600.0, 1500),     // the peer's dense box
        (35.0, 38.0, 3000.0, 2000),    // continental
        (0.0, 180.0, 400.0, 1500),     // straddling the antimeridian
        (87.0, 0.0, 700.0, 1500),      // over the North Pole
        (-86.0, 120.0, 900.0, 1000),   // near the South Pole
    ])
    func sameAsBruteForce(lat0: Double, lon0: Double, boxKm: Double, n: Int) {
        for seed in [UInt64(1), 2] {
            let t = TrafficPicture(traffic(n, seed: seed, lat0: lat0, lon0: lon0, boxKm: boxKm))
            let d = ConflictDetector(parameters: .classic, threads: 2)
            let fast = d.detect(t), slow = d.detectBruteForce(t)
            #expect(!slow.isEmpty)
            #expect(key(fast, t) == key(slow, t), "region \(lat0),\(lon0) seed \(seed)")
            #expect(fast == slow)
        }
    }

    @Test(arguments: [
        DetectionParameters(rpzNM: 0.5, hpzFt: 100, lookaheadS: 30),
        DetectionParameters(rpzNM: 20, hpzFt: 3000, lookaheadS: 1200),
        DetectionParameters(rpzNM: 5, hpzFt: 1000, lookaheadS: 0),
    ])
    func otherZonesAndLookaheads(p: DetectionParameters) {
        let t = TrafficPicture(traffic(1500, seed: 7, lat0: 50, lon0: 5, boxKm: 500))
        let d = ConflictDetector(parameters: p)
        #expect(key(d.detect(t), t) == key(d.detectBruteForce(t), t))
    }

    @Test func incrementalNeighboursFindTheSameConflicts() {
        let t = TrafficPicture(traffic(1200, seed: 3, lat0: 35, lon0: 38, boxKm: 300))
        let d = ConflictDetector()
        let bp = BroadPhase(t, d.parameters)
        let all = d.detect(t)
        for i in stride(from: 0, to: t.count, by: 37) {
            let mine = Set(d.conflicts(of: i, in: t, broadPhase: bp).map { [$0.a, $0.b] })
            let expected = Set(all.filter { $0.a == i || $0.b == i }.map { [$0.a, $0.b] })
            #expect(mine == expected)
        }
    }

    @Test(arguments: [
        (35.0, 38.0, 300.0),      // dense
        (0.0, 180.0, 400.0),      // straddling the antimeridian (a window or a wrapping grid)
        (10.0, 179.6, 60.0),      // a window just west of the antimeridian, queries partly across it
        (87.0, 0.0, 700.0),       // polar cap
    ])
    func neighboursOfAStateOutsideThePicture(lat0: Double, lon0: Double, boxKm: Double) {
        // Fresh states (other seeds, some across the antimeridian from the picture) against
        // a picture: every aircraft the exact test flags against the state is visited.
        let pic = traffic(1000, seed: 11, lat0: lat0, lon0: lon0, boxKm: boxKm)
        let t = TrafficPicture(pic)
        let bp = BroadPhase(t, .classic)
        var queries = traffic(300, seed: 12, lat0: lat0, lon0: lon0, boxKm: boxKm)
        if lon0 == 179.6 { queries = queries.map { var q = $0; q.lon = Units.wrap180(q.lon + 0.4); return q } }  // some at 179.9°W
        var mark = [Int32](repeating: -1, count: t.count)
        var found = 0, fallbacks = 0
        for (k, q) in queries.enumerated() {
            var q = q; q.id = "Q\(k)"
            var visited = Set<Int>()
            let ok = bp.forEachNeighbour(of: q, mark: &mark, tag: Int32(k)) { visited.insert($0) }
            if !ok { fallbacks += 1; continue }
            for j in 0..<t.count where StateBased.evaluate(q, pic[j], parameters: .classic) != nil {
                found += 1
                #expect(visited.contains(j), "query \(k) missed \(pic[j].id)")
            }
        }
        #expect(found > 0)
        #expect(fallbacks < queries.count / 2)
    }

    @Test(arguments: [(35.0, 38.0, 300.0), (0.0, 180.0, 400.0), (87.0, 0.0, 700.0), (-86.0, 120.0, 900.0)])
    func boxesOfThePictureAreSweptBoxesOfItsStates(lat0: Double, lon0: Double, boxKm: Double) {
        // The initializer writes the swept-box formula out (speed); it must equal `sweptBox`,
        // which boxes states outside the picture.
        let t = TrafficPicture(traffic(500, seed: 5, lat0: lat0, lon0: lon0, boxKm: boxKm))
        for reach in [Reach.detection(.classic), .alerting(.phase1), .detection(.classic).union(.alerting(.phase1))] {
            let bp = BroadPhase(t, reach: reach)
            for k in 0..<t.count {
                let b = SweptBoxes.sweptBox(lat: t.lat[k], lon: t.lon[k], ve: t.ve[k], vn: t.vn[k], alt: t.alt[k], vs: t.vs[k],
                                            horizon: reach.horizon, partnerDeg: bp.boxes.partnerDeg, reach: reach)
                let a = bp.boxes.box(k)
                #expect(a.latMin == b.latMin && a.latMax == b.latMax && a.lonMin == b.lonMin && a.lonWidth == b.lonWidth
                        && a.altMin == b.altMin && a.altMax == b.altMax, "aircraft \(k)")
            }
        }
    }

    @Test func emptyAndSingleAircraft() {
        let d = ConflictDetector()
        #expect(d.detect([]).isEmpty)
        #expect(d.detect([AircraftState(id: "A", lat: 0, lon: 0, altFt: 0, gsKt: 0, trkDeg: 0, vsFpm: 0)]).isEmpty)
    }

    @Test func eachUnorderedPairOnceWithOrderedIds() {
        let t = TrafficPicture(traffic(3000, seed: 11, lat0: 35, lon0: 38, boxKm: 600))
        let c = ConflictDetector().detect(t)
        #expect(c.allSatisfy { t.ids[$0.a] < t.ids[$0.b] })
        #expect(Set(key(c, t)).count == c.count)
    }
}
