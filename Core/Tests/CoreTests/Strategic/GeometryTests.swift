import Testing
import DeconflictCore

@Suite("Strategic geometry: exact intersection")
struct GeometryTests {
    @Test func overlappingSquares() {
        #expect(hIntersects(box(47, 8, 47.1, 8.1), box(47.05, 8.05, 47.15, 8.15)))
    }
    @Test func disjointSquares() {
        #expect(!hIntersects(box(47, 8, 47.1, 8.1), box(47.2, 8.2, 47.3, 8.3)))
        // Bounding boxes overlap, shapes do not (diagonal triangles).
        let t1 = Outline.polygon([LatLon(lat: 47, lon: 8), LatLon(lat: 47, lon: 8.1), LatLon(lat: 47.1, lon: 8)])
        let t2 = Outline.polygon([LatLon(lat: 47.1, lon: 8.1), LatLon(lat: 47.1, lon: 8.01), LatLon(lat: 47.01, lon: 8.1)])
        #expect(!hIntersects(t1, t2))
    }
    @Test func containedWithoutEdgeCrossing() {
        #expect(hIntersects(box(47, 8, 47.1, 8.1), box(47.04, 8.04, 47.06, 8.06)))
        #expect(hIntersects(box(47, 8, 47.1, 8.1), circle(47.05, 8.05, 100)))
        #expect(hIntersects(circle(47.05, 8.05, 20_000), box(47.04, 8.04, 47.06, 8.06)))
        #expect(hIntersects(circle(47.05, 8.05, 20_000), circle(47.05, 8.06, 10)))
    }
    @Test func identicalPolygonsIntersect() {
        #expect(hIntersects(box(47, 8, 47.1, 8.1), box(47, 8, 47.1, 8.1)))
        // Same square, opposite orientation and explicitly closed.
        let ring = [LatLon(lat: 47, lon: 8), LatLon(lat: 47.1, lon: 8), LatLon(lat: 47.1, lon: 8.1),
                    LatLon(lat: 47, lon: 8.1), LatLon(lat: 47, lon: 8)]
        #expect(hIntersects(box(47, 8, 47.1, 8.1), .polygon(ring)))
    }
    @Test func touchingIsNotAConflict() {
        // Shared full edge.
        #expect(!hIntersects(box(47, 8, 47.1, 8.1), box(47, 8.1, 47.1, 8.2)))
        // Shared corner only.
        #expect(!hIntersects(box(47, 8, 47.1, 8.1), box(47.1, 8.1, 47.2, 8.2)))
        // Partial shared edge (a T-junction on the great-circle edge).
        let a = LatLon(lat: 47, lon: 8), b = LatLon(lat: 47.1, lon: 8)
        let m1 = midpoint(a, b), m2 = midpoint(m1, b)
        let west = Outline.polygon([a, b, LatLon(lat: 47.1, lon: 7.9), LatLon(lat: 47, lon: 7.9)])
        let brg = bearing(m1, m2)
        let east = Outline.polygon([m1, dest(m1, brg + 90, 1000), dest(m2, brg + 90, 1000), m2])
        #expect(!hIntersects(west, east))
        // Nudged 5 cm into the other: a conflict.
        let eastIn = Outline.polygon([dest(m1, brg - 90, 0.05), dest(m1, brg + 90, 1000), dest(m2, brg + 90, 1000), dest(m2, brg - 90, 0.05)])
        #expect(hIntersects(west, eastIn))
        // 5 cm apart: no conflict.
        let eastOut = Outline.polygon([dest(m1, brg + 90, 0.05), dest(m1, brg + 90, 1000), dest(m2, brg + 90, 1000), dest(m2, brg + 90, 0.05)])
        #expect(!hIntersects(west, eastOut))
    }
    @Test func concavePolygons() {
        // A U open to the north; a square sitting in the notch does not overlap it.
        let u = Outline.polygon([
            LatLon(lat: 47.0, lon: 8.0), LatLon(lat: 47.0, lon: 8.3), LatLon(lat: 47.3, lon: 8.3),
            LatLon(lat: 47.3, lon: 8.2), LatLon(lat: 47.1, lon: 8.2), LatLon(lat: 47.1, lon: 8.1),
            LatLon(lat: 47.3, lon: 8.1), LatLon(lat: 47.3, lon: 8.0),
        ])
        #expect(!hIntersects(u, box(47.15, 8.12, 47.25, 8.18)))
        #expect(!hIntersects(u, circle(47.2, 8.15, 2_000)))
        #expect(hIntersects(u, box(47.15, 8.12, 47.25, 8.22)))
        #expect(hIntersects(u, circle(47.2, 8.15, 5_000)))
        // The notch itself (same vertices, touching on three edges): no conflict.
        #expect(!hIntersects(u, box(47.1, 8.1, 47.3, 8.2)))
        // A box whose bottom runs along the 47.1° parallel dips below the notch's great-circle
        // bottom edge (which bulges north): a conflict.
        #expect(hIntersects(u, box(47.1, 8.12, 47.25, 8.18)))
        // Two interlocking combs whose bounding boxes overlap fully but shapes do not.
        let combA = Outline.polygon([
            LatLon(lat: 0, lon: 0), LatLon(lat: 0, lon: 0.3), LatLon(lat: 0.1, lon: 0.3), LatLon(lat: 0.1, lon: 0.2),
            LatLon(lat: 0.3, lon: 0.2), LatLon(lat: 0.3, lon: 0.1), LatLon(lat: 0.1, lon: 0.1), LatLon(lat: 0.1, lon: 0),
        ])
        let combB = Outline.polygon([
            LatLon(lat: 0.2, lon: 0.0), LatLon(lat: 0.2, lon: 0.05), LatLon(lat: 0.4, lon: 0.05), LatLon(lat: 0.4, lon: 0.25),
            LatLon(lat: 0.35, lon: 0.25), LatLon(lat: 0.35, lon: 0.0),
        ])
        #expect(!hIntersects(combA, combB))
    }
    @Test func antimeridian() {
        let a = Outline.polygon([LatLon(lat: 10, lon: 179.95), LatLon(lat: 10, lon: -179.95),
                                 LatLon(lat: 10.1, lon: -179.95), LatLon(lat: 10.1, lon: 179.95)])
        #expect(hIntersects(a, circle(10.05, 180, 500)))
        #expect(hIntersects(a, circle(10.05, -179.97, 500)))
        #expect(hIntersects(a, box(10.02, -179.99, 10.08, -179.9)))
        #expect(!hIntersects(a, box(10.02, -179.9, 10.08, -179.8)))
        // The "long way round" box on the other side of the globe is not involved.
        #expect(!hIntersects(a, circle(10.05, 0, 500)))
        #expect(!hIntersects(a, circle(10.05, 179.5, 500)))
        let v = Volume3D(outline: a, altitudeLower: 0, altitudeUpper: 100)
        #expect(throws: Never.self) { try v.validate() }
    }
    @Test func nearPole() throws {
        // A hexagon around the north pole at 89.9° (radius ≈ 11 km).
        let ring = (0..<6).map { LatLon(lat: 89.9, lon: Double($0) * 60 - 180) }
        let cap = Outline.polygon(ring)
        try Volume3D(outline: cap, altitudeLower: 0, altitudeUpper: 10).validate()
        #expect(hIntersects(cap, circle(90, 0, 100)))
        #expect(hIntersects(cap, circle(89.95, 123, 100)))
        #expect(!hIntersects(cap, circle(89.8, 0, 1_000)))
        #expect(hIntersects(cap, box(89.85, 10, 89.95, 20)))
        #expect(!hIntersects(cap, circle(-89.95, 0, 1000)))
    }
    @Test func circleCircleExactBoundary() {
        // Radii summing to the great-circle distance ± 1 cm, at realistic sizes and latitudes.
        for (lat, lon, d) in [(47.0, 8.0, 1_234.5), (60.0, -150.0, 30_000.0), (-33.9, 151.2, 55_555.0), (0.0, 179.99, 20_000.0)] {
            let c1 = LatLon(lat: lat, lon: lon)
            let c2 = dest(c1, 37, d)
            let gc = greatCircleDistance(c1, c2)
            #expect(Swift.abs(gc - d) < 1e-6)
            let r1 = 0.4 * gc
            #expect(hIntersects(.circle(center: c1, radius: r1), .circle(center: c2, radius: gc - r1 + 0.01)))
            #expect(!hIntersects(.circle(center: c1, radius: r1), .circle(center: c2, radius: gc - r1 - 0.01)))
            #expect(!hIntersects(.circle(center: c1, radius: r1), .circle(center: c2, radius: gc - r1)))
        }
    }
    @Test func polygonCircleAgainstGreatCircleEdge() {
        // A long (80 km) edge at 60°N: great-circle and parallel differ by ~ L²·tanφ/(8R) ≈ 218 m.
        let a = LatLon(lat: 60, lon: 10), b = LatLon(lat: 60, lon: 11.44)
        let poly = Outline.polygon([a, b, LatLon(lat: 59.9, lon: 11.44), LatLon(lat: 59.9, lon: 10)])
        let m = midpoint(a, b)
        #expect(m.lat > 60.001) // the edge bulges poleward
        let brg = bearing(m, b)
        // A circle outside the edge at distance r ± 1 cm from the great-circle midpoint.
        for r in [10.0, 500.0, 5_000.0] {
            let cIn = dest(m, brg - 90, r - 0.01)   // north of the edge
            let cOut = dest(m, brg - 90, r + 0.01)
            #expect(hIntersects(poly, .circle(center: cIn, radius: r)))
            #expect(!hIntersects(poly, .circle(center: cOut, radius: r)))
        }
        // A point on the parallel at 60° (below the great-circle edge) is inside.
        #expect(hIntersects(poly, circle(60.0005, 10.72, 1)))
    }
    @Test func timeAndAltitudeTouching() {
        let o = box(47, 8, 47.1, 8.1)
        let a = vol(o, 0, 120, 1_000, 2_000)
        #expect(a.intersects(vol(o, 0, 120, 1_999, 3_000)))
        #expect(!a.intersects(vol(o, 0, 120, 2_000, 3_000)))
        #expect(!a.intersects(vol(o, 120, 200, 1_000, 2_000)))
        #expect(a.intersects(vol(o, 119, 200, 1_000, 2_000)))
        // 400 ft from both sides of the edge conversion compares equal.
        #expect(!vol(o, 0, Units.ft(400)).intersects(vol(o, Units.ft(400), Units.ft(800))))
        let ov = a.overlap(with: vol(box(47.05, 8.05, 47.2, 8.2), 100, 300, 1_500, 2_500))
        #expect(ov == VolumeOverlap(timeStart: 1_500, timeEnd: 2_000, altitudeLower: 100, altitudeUpper: 120))
    }
    @Test func containment() {
        let big = Volume3D(outline: box(47, 8, 47.1, 8.1), altitudeLower: 0, altitudeUpper: 150)
        #expect(big.contains(Volume3D(outline: box(47.01, 8.01, 47.05, 8.05), altitudeLower: 0, altitudeUpper: 150)))
        #expect(big.contains(big))
        #expect(!big.contains(Volume3D(outline: box(47.01, 8.01, 47.05, 8.15), altitudeLower: 0, altitudeUpper: 150)))
        #expect(!big.contains(Volume3D(outline: box(47.01, 8.01, 47.05, 8.05), altitudeLower: 0, altitudeUpper: 151)))
        #expect(big.contains(Volume3D(outline: circle(47.05, 8.05, 1000), altitudeLower: 10, altitudeUpper: 20)))
        #expect(!big.contains(Volume3D(outline: circle(47.05, 8.05, 10_000), altitudeLower: 10, altitudeUpper: 20)))
        let c = Volume3D(outline: circle(47.05, 8.05, 10_000), altitudeLower: 0, altitudeUpper: 100)
        #expect(c.contains(Volume3D(outline: box(47.04, 8.04, 47.06, 8.06), altitudeLower: 0, altitudeUpper: 100)))
        #expect(c.contains(Volume3D(outline: circle(47.05, 8.06, 100), altitudeLower: 0, altitudeUpper: 100)))
    }
}
