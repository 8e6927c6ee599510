import Testing
import DeconflictCore

@Suite("Strategic geometry: cell covering")
struct CoveringTests {
    @Test func gridBasics() {
        let g = CellGrid.standard
        #expect(g.cell(LatLon(lat: -90, lon: -180)) == CellID(row: 0, column: 0))
        #expect(g.cell(LatLon(lat: 90, lon: 180)).row == 17_999)
        #expect(g.cell(LatLon(lat: 0, lon: 180)) == g.cell(LatLon(lat: 0, lon: -180)))
        #expect(g.columns(row: 9_000) == 36_000)
        #expect(g.columns(row: 17_999) == 9)
        #expect(g.columns(row: 0) == 9)
        #expect(g.columns(row: 15_000) == 18_000)
        let id = CellID(row: 12_345, column: 23_456)
        #expect(id.row == 12_345 && id.column == 23_456)
        #expect(CellID(rawValue: id.rawValue) == id)
    }

    @Test func coveringContainsTheShape() {
        let o = circle(47.05, 8.05, 3_000)
        let cells = Set(o.coveringCells())
        #expect(!cells.isEmpty)
        // Every sampled point of the disc falls in a covering cell.
        for i in 0..<360 {
            for f in [0.0, 0.5, 0.999] {
                let p = dest(LatLon(lat: 47.05, lon: 8.05), Double(i), 3_000 * f)
                #expect(cells.contains(CellGrid.standard.cell(p)))
            }
        }
        // And it is tight: a 3 km disc (≈ 28 km²) needs well under 100 cells of ≈ 0.85 km².
        #expect(cells.count < 70)
    }

    @Test func coveringSizeIsBounded() {
        let clock = ContinuousClock()
        var n = 0
        let t = clock.measure {
            n = circle(47, 8, VolumeLimits.maxRadius).coveringCells().count
        }
        #expect(n > 2_500 && n < 4_500)
        #expect(t < .seconds(2))
        // A polar cap: rows near the pole have few, wide columns.
        let polar = (0..<6).map { LatLon(lat: 89.9, lon: Double($0) * 60 - 180) }
        let pc = Outline.polygon(polar).coveringCells()
        #expect(pc.count > 0 && pc.count < 1_000)
        #expect(pc.contains(CellGrid.standard.cell(LatLon(lat: 90, lon: 0))))
    }

    @Test func antimeridianCovering() {
        let a = Outline.polygon([LatLon(lat: 10, lon: 179.98), LatLon(lat: 10, lon: -179.98),
                                 LatLon(lat: 10.02, lon: -179.98), LatLon(lat: 10.02, lon: 179.98)])
        let cells = Set(a.coveringCells())
        #expect(cells.contains(CellGrid.standard.cell(LatLon(lat: 10.01, lon: 179.99))))
        #expect(cells.contains(CellGrid.standard.cell(LatLon(lat: 10.01, lon: -179.99))))
        #expect(!cells.contains(CellGrid.standard.cell(LatLon(lat: 10.01, lon: 0))))
        #expect(cells.count < 40)
    }

    /// The covering never misses: for thousands of random pairs (seeded), whenever the exact
    /// test says the outlines intersect, their coverings share a cell.
    @Test(arguments: [UInt64(1), 2, 3])
    func coveringNeverMissesAnOverlap(seed: UInt64) {
        var rng = SeededRNG(seed: seed)
        let places = [LatLon(lat: 47.3, lon: 8.5), LatLon(lat: 0, lon: 179.999), LatLon(lat: -33.9, lon: 151.2),
                      LatLon(lat: 69.5, lon: 19.0), LatLon(lat: 85.5, lon: -40), LatLon(lat: 89.97, lon: 10),
                      LatLon(lat: -78, lon: 166), LatLon(lat: 59.995, lon: 10), LatLon(lat: 0.004, lon: -0.004)]
        var intersecting = 0, shared = 0
        let n = 1_200
        for _ in 0..<n {
            let base = places[Int.random(in: 0..<places.count, using: &rng)]
            func shape(_ rng: inout SeededRNG) -> Outline {
                let c = dest(base, Double.random(in: 0..<360, using: &rng), Double.random(in: 0...6_000, using: &rng))
                // Radius log-uniform in 10 m ... 8 km, one in 20 up to 28 km.
                let big = Int.random(in: 0..<20, using: &rng) == 0
                let r = big ? Double.random(in: 8_000...28_000, using: &rng) : 10 * pow(800, Double.random(in: 0...1, using: &rng))
                if Bool.random(using: &rng) {
                    return .circle(center: c, radius: Swift.min(r, VolumeLimits.maxRadius))
                }
                return randomStar(c, maxRadius: Swift.min(r, 25_000), vertices: Int.random(in: 3...14, using: &rng), rng: &rng)
            }
            let a = shape(&rng), b = shape(&rng)
            let va = Volume3D(outline: a, altitudeLower: 0, altitudeUpper: 1)
            let vb = Volume3D(outline: b, altitudeLower: 0, altitudeUpper: 1)
            guard (try? va.validate()) != nil, (try? vb.validate()) != nil else { continue }
            let ca = Set(a.coveringCells()), cb = b.coveringCells()
            let share = cb.contains { ca.contains($0) }
            if share { shared += 1 }
            if va.horizontallyIntersects(vb) {
                intersecting += 1
                #expect(share, "missed overlap: \(a) vs \(b)")
            }
        }
        // The sample is meaningful: a good share of the pairs intersect, and some share
        // cells without intersecting (the covering is conservative, not exact).
        #expect(intersecting > n / 5)
        #expect(shared >= intersecting)
    }

    /// Touching-but-disjoint neighbours sharing an edge still share cells (conservative),
    /// and tiny shapes near cell corners are found in each other's covering.
    @Test func tinyShapesAtCellCorners() {
        let g = CellGrid.standard
        let corner = LatLon(lat: 47.0, lon: 8.0)
        let a = circle(corner.lat + 1e-6, corner.lon + 1e-6, 1)
        let b = circle(corner.lat - 1e-6, corner.lon - 1e-6, 1)
        #expect(hIntersects(a, b))
        #expect(!Set(a.coveringCells()).isDisjoint(with: b.coveringCells()))
        #expect(Set(a.coveringCells()).contains(g.cell(LatLon(lat: corner.lat - 1e-6, lon: corner.lon - 1e-6))))
    }
}
