import Testing
import DeconflictCore

@Suite("Strategic geometry: validation")
struct ValidationTests {
    func check(_ v: Volume4D) -> VolumeError? {
        do { try v.validate(); return nil } catch { return error }
    }

    @Test func validVolumes() {
        #expect(check(vol(box(47, 8, 47.1, 8.1))) == nil)
        #expect(check(vol(circle(47, 8, 500))) == nil)
        // Explicitly closed ring and clockwise ring are both accepted.
        let closed: [LatLon] = [LatLon(lat: 47, lon: 8), LatLon(lat: 47.1, lon: 8), LatLon(lat: 47.1, lon: 8.1), LatLon(lat: 47, lon: 8)]
        #expect(check(vol(.polygon(closed))) == nil)
    }
    @Test func degeneratePolygons() {
        let collinear = Outline.polygon([LatLon(lat: 47, lon: 8), LatLon(lat: 47.05, lon: 8), LatLon(lat: 47.1, lon: 8)])
        if case .degenerate = check(vol(collinear)) {} else { Issue.record("collinear: \(String(describing: check(vol(collinear))))") }
        let twoPoints = Outline.polygon([LatLon(lat: 47, lon: 8), LatLon(lat: 47.1, lon: 8), LatLon(lat: 47, lon: 8)])
        #expect(check(vol(twoPoints)) == .tooFewVertices(count: 2))
        let repeated = Outline.polygon([LatLon(lat: 47, lon: 8), LatLon(lat: 47, lon: 8), LatLon(lat: 47.1, lon: 8), LatLon(lat: 47.1, lon: 8.1)])
        #expect(check(vol(repeated)) == .repeatedVertex(index: 1))
        // ±180° is the same meridian: a repeated vertex.
        let wrapRepeat = Outline.polygon([LatLon(lat: 0, lon: 180), LatLon(lat: 0, lon: -180), LatLon(lat: 0.1, lon: 179.9), LatLon(lat: 0.1, lon: -179.9)])
        #expect(check(vol(wrapRepeat)) == .repeatedVertex(index: 1))
        // A 1 mm sliver triangle: area < 1 m².
        let a = LatLon(lat: 47, lon: 8), b = dest(a, 90, 100), c = dest(midpoint(a, b), 0, 0.001)
        if case .degenerate = check(vol(.polygon([a, b, c]))) {} else { Issue.record("sliver") }
        #expect(check(vol(circle(47, 8, 0))) == .radiusOutOfRange(radius: 0))
        #expect(check(vol(circle(47, 8, 30_000))) == .radiusOutOfRange(radius: 30_000))
    }
    @Test func selfIntersectingBowTie() {
        let bowTie = Outline.polygon([LatLon(lat: 47, lon: 8), LatLon(lat: 47.1, lon: 8.1), LatLon(lat: 47.1, lon: 8), LatLon(lat: 47, lon: 8.1)])
        #expect(check(vol(bowTie)) == .selfIntersecting(edge1: 0, edge2: 2))
        // A ring touching itself at a vertex (figure eight through a shared point).
        let eight = Outline.polygon([LatLon(lat: 47, lon: 8), LatLon(lat: 47.05, lon: 8.05), LatLon(lat: 47.1, lon: 8),
                                     LatLon(lat: 47.1, lon: 8.1), LatLon(lat: 47.05, lon: 8.05), LatLon(lat: 47, lon: 8.1)])
        if case .selfIntersecting = check(vol(eight)) {} else { Issue.record("eight: \(String(describing: check(vol(eight))))") }
        // A spike folding back along its own edge.
        let spike = Outline.polygon([LatLon(lat: 47, lon: 8), LatLon(lat: 47, lon: 8.1), LatLon(lat: 47, lon: 8.05), LatLon(lat: 47.1, lon: 8.05)])
        if case .selfIntersecting = check(vol(spike)) {} else { Issue.record("spike: \(String(describing: check(vol(spike))))") }
    }
    @Test func millionVerticesRefusedFast() {
        let ring = [LatLon](repeating: LatLon(lat: 47, lon: 8), count: 1_000_000)
        let v = vol(.polygon(ring))
        let clock = ContinuousClock()
        let t = clock.measure { #expect(check(v) == .tooManyVertices(count: 1_000_000, max: 1000)) }
        #expect(t < .milliseconds(50))
        // 1000 distinct + closing vertex is fine; 1001 distinct is not.
        let c = LatLon(lat: 47, lon: 8)
        let ok = (0..<1000).map { dest(c, Double($0) * 0.36, 5_000) }
        #expect(check(vol(.polygon(ok + [ok[0]]))) == nil)
        let tooMany = (0..<1001).map { dest(c, Double($0) * 0.3596, 5_000) }
        #expect(check(vol(.polygon(tooMany))) == .tooManyVertices(count: 1001, max: 1000))
    }
    @Test func maxSizePolygonValidatesQuickly() {
        let c = LatLon(lat: 47, lon: 8)
        let ring = (0..<1000).map { dest(c, Double($0) * 0.36, 25_000 + Double($0 % 2) * 2_000) }
        let clock = ContinuousClock()
        let t = clock.measure { #expect(check(vol(.polygon(ring))) == nil) }
        #expect(t < .seconds(2))
    }
    @Test func timeAndAltitudeErrors() {
        let o = box(47, 8, 47.1, 8.1)
        #expect(check(vol(o, 0, 100, 2_000, 1_000)) == .timeWindowEmpty(start: 2_000, end: 1_000))
        #expect(check(vol(o, 0, 100, 1_000, 1_000)) == .timeWindowEmpty(start: 1_000, end: 1_000))
        #expect(check(vol(o, 200, 100)) == .altitudeBandEmpty(lower: 200, upper: 100))
        #expect(check(vol(o, 100, 100)) == .altitudeBandEmpty(lower: 100, upper: 100))
        #expect(check(vol(o, 0, 100, .nan, 1_000)) == .nonFinite(field: "time start"))
        #expect(check(vol(o, 0, .infinity)) == .nonFinite(field: "altitude upper"))
        #expect(check(vol(o, -1_000, 100)) == .altitudeOutOfRange(altitude: -1_000))
        #expect(check(vol(o, 0, 100, -5, 100)) == .timeOutOfRange(time: -5))
    }
    @Test func coordinateErrors() {
        let nanPoly = Outline.polygon([LatLon(lat: 47, lon: 8), LatLon(lat: .nan, lon: 8), LatLon(lat: 47.1, lon: 8.1)])
        #expect(check(vol(nanPoly)) == .nonFinite(field: "vertex 1 latitude"))
        let badLat = Outline.polygon([LatLon(lat: 47, lon: 8), LatLon(lat: 91, lon: 8), LatLon(lat: 47.1, lon: 8.1)])
        #expect(check(vol(badLat)) == .latitudeOutOfRange(index: 1, lat: 91))
        let badLon = Outline.polygon([LatLon(lat: 47, lon: 8), LatLon(lat: 47, lon: 181), LatLon(lat: 47.1, lon: 8.1)])
        #expect(check(vol(badLon)) == .longitudeOutOfRange(index: 1, lon: 181))
        #expect(check(vol(circle(-90.5, 0, 10))) == .latitudeOutOfRange(index: 0, lat: -90.5))
        #expect(check(vol(circle(0, .nan, 10))) == .nonFinite(field: "center longitude"))
    }
    @Test func sizeLimits() {
        // 1.5° × 1.5° at the equator: extent ≈ 118 km > 100 km.
        if case .extentTooLarge = check(vol(box(0, 0, 1.5, 1.5))) {} else { Issue.record("extent") }
        // 0.6° × 0.6° ≈ 4,450 km² > 2,500 km² (extent 47 km is fine).
        if case .areaTooLarge = check(vol(box(0, 0, 0.6, 0.6))) {} else { Issue.record("area") }
        // Antipodal ring: no usable centre.
        let wild = Outline.polygon([LatLon(lat: 0, lon: 0), LatLon(lat: 0, lon: 120), LatLon(lat: 0, lon: -120)])
        if case .extentTooLarge = check(vol(wild)) {} else { Issue.record("wild") }
    }
    @Test func invalidVolumesNeverCrashIntersection() {
        let bad = vol(.polygon([LatLon(lat: .nan, lon: 0), LatLon(lat: 1, lon: 1)]))
        #expect(!bad.intersects(vol(box(0, 0, 1, 1))))
        #expect(bad.volume.coveringCells().isEmpty)
        let ring = [LatLon](repeating: LatLon(lat: 47, lon: 8), count: 10)
        #expect(!vol(.polygon(ring)).intersects(vol(box(46, 7, 48, 9))))
    }
}

@Suite("Strategic geometry: worst-case cost")
struct WorstCaseTests {
    @Test func twoThousandVertexPolygonsIntersectInBoundedTime() {
        let c = LatLon(lat: 47, lon: 8)
        // Two 1000-vertex "gear" polygons, overlapping with many boundary crossings.
        let a = (0..<1000).map { dest(c, Double($0) * 0.36, 20_000 + Double($0 % 2) * 1_000) }
        let c2 = dest(c, 90, 500)
        let b = (0..<1000).map { dest(c2, Double($0) * 0.36 + 0.1, 20_000 + Double($0 % 2) * 1_000) }
        let va = vol(.polygon(a)), vb = vol(.polygon(b))
        #expect((try? va.validate()) != nil && (try? vb.validate()) != nil)
        let clock = ContinuousClock()
        var r = false
        let t = clock.measure { r = va.intersects(vb) }
        #expect(r)
        // Disjoint with overlapping bounding caps: a 1000-vertex disc inside a 1000-vertex "C"
        // around it (no crossing, every boundary piece classified: the full O(n·m) path).
        let disc = (0..<1000).map { dest(c, Double($0) * 0.36, 10_000) }
        let outer = (0..<500).map { dest(c, 10 + Double($0) * 340 / 499, 15_000) }
        let inner = (0..<500).map { dest(c, 350 - Double($0) * 340 / 499, 12_000) }
        let vc = vol(.polygon(outer + inner))
        #expect((try? vc.validate()) != nil)
        var r2 = true
        let t2 = clock.measure { r2 = vol(.polygon(disc)).intersects(vc) }
        #expect(!r2)
        #expect(t < .seconds(5) && t2 < .seconds(5))
    }
}
