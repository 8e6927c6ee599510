// Validation of volumes. Cheap checks (counts, finiteness, ranges) run before any heavy work,
// so a 10^6-vertex polygon is refused in constant time.

extension Outline {
    /// Validates the outline (see ``VolumeLimits`` and docs/strategic.md).
    public func validate() throws(VolumeError) {
        switch self {
        case let .circle(c, r):
            guard c.lat.isFinite else { throw .nonFinite(field: "center latitude") }
            guard c.lon.isFinite else { throw .nonFinite(field: "center longitude") }
            guard r.isFinite else { throw .nonFinite(field: "radius") }
            guard (-90.0...90.0).contains(c.lat) else { throw .latitudeOutOfRange(index: 0, lat: c.lat) }
            guard (-180.0...180.0).contains(c.lon) else { throw .longitudeOutOfRange(index: 0, lon: c.lon) }
            guard r >= VolumeLimits.minRadius && r <= VolumeLimits.maxRadius else { throw .radiusOutOfRange(radius: r) }
        case let .polygon(ring):
            try Outline.validatePolygon(ring)
        }
    }

    static func validatePolygon(_ ring: [LatLon]) throws(VolumeError) {
        // 1. Counts first: O(1).
        if ring.count > VolumeLimits.maxVertices + 1 {
            throw .tooManyVertices(count: ring.count, max: VolumeLimits.maxVertices)
        }
        for (i, p) in ring.enumerated() {
            guard p.lat.isFinite else { throw .nonFinite(field: "vertex \(i) latitude") }
            guard p.lon.isFinite else { throw .nonFinite(field: "vertex \(i) longitude") }
            guard (-90.0...90.0).contains(p.lat) else { throw .latitudeOutOfRange(index: i, lat: p.lat) }
            guard (-180.0...180.0).contains(p.lon) else { throw .longitudeOutOfRange(index: i, lon: p.lon) }
        }
        let open = PreparedPolygon.openRing(ring)
        if open.count > VolumeLimits.maxVertices {
            throw .tooManyVertices(count: open.count, max: VolumeLimits.maxVertices)
        }
        guard open.count >= 3 else { throw .tooFewVertices(count: open.count) }
        // 2. Repeated consecutive vertices (also ±180° or pole duplicates: compared on the sphere).
        let vs = open.map(SphereGeo.unit)
        for i in vs.indices {
            let j = (i + 1) % vs.count
            if SphereGeo.angle(vs[i], vs[j]) * SphereGeo.R < VolumeLimits.minEdgeLength {
                throw .repeatedVertex(index: j)
            }
        }
        // 3. Extent: every vertex near the centre (keeps the gnomonic plane well conditioned).
        var sum = Vec3(x: 0, y: 0, z: 0)
        for v in vs { sum = sum + v }
        guard sum.norm > 1e-9 else { throw .extentTooLarge(distance: .pi * SphereGeo.R, max: VolumeLimits.maxExtent) }
        let c = sum.normalized
        for v in vs {
            let d = SphereGeo.angle(c, v) * SphereGeo.R
            if d > VolumeLimits.maxExtent { throw .extentTooLarge(distance: d, max: VolumeLimits.maxExtent) }
        }
        guard let poly = PreparedPolygon(open) else { throw .tooFewVertices(count: open.count) }
        // 4. Flat rings (all collinear / tiny).
        let flat = poly.unsignedFanArea
        if flat < VolumeLimits.minArea { throw .degenerate(area: flat) }
        // 5. Simple: no two edges meet except adjacent ones at their shared vertex.
        try checkSimple(vs.map(poly.gnomonic.project))
        // 6. Area.
        let area = poly.area
        if area < VolumeLimits.minArea { throw .degenerate(area: area) }
        if area > VolumeLimits.maxArea { throw .areaTooLarge(area: area, max: VolumeLimits.maxArea) }
    }

    /// O(n²) pairwise edge test with bounding-box rejection (n ≤ 1000). Edge i runs from vertex i
    /// to vertex i+1 of the ring as given.
    static func checkSimple(_ pts: [PlaneXY]) throws(VolumeError) {
        let n = pts.count
        let eps = VolumeLimits.horizontalEpsilon
        var lo = [PlaneXY](), hi = [PlaneXY]()
        lo.reserveCapacity(n); hi.reserveCapacity(n)
        for i in 0..<n {
            let a = pts[i], b = pts[(i + 1) % n]
            lo.append(PlaneXY(x: Swift.min(a.x, b.x) - eps, y: Swift.min(a.y, b.y) - eps))
            hi.append(PlaneXY(x: Swift.max(a.x, b.x) + eps, y: Swift.max(a.y, b.y) + eps))
        }
        for i in 0..<n {
            let a = pts[i], b = pts[(i + 1) % n]
            for j in (i + 1)..<n {
                if lo[j].x > hi[i].x || hi[j].x < lo[i].x || lo[j].y > hi[i].y || hi[j].y < lo[i].y { continue }
                let c = pts[j], d = pts[(j + 1) % n]
                let adjacentNext = j == i + 1          // b == c
                let adjacentPrev = i == 0 && j == n - 1 // d == a
                var bad = false
                if adjacentNext {
                    // Folding back: d on segment a-b, or a on segment c-d (collinear overlap).
                    bad = PlaneGeo.pointSegmentDistance(d, a, b) <= eps || PlaneGeo.pointSegmentDistance(a, c, d) <= eps
                } else if adjacentPrev {
                    bad = PlaneGeo.pointSegmentDistance(c, a, b) <= eps || PlaneGeo.pointSegmentDistance(b, c, d) <= eps
                } else {
                    bad = PlaneGeo.segmentsDistance(a, b, c, d) <= eps
                }
                if bad { throw .selfIntersecting(edge1: i, edge2: j) }
            }
        }
    }
}

extension Volume3D {
    /// Validates outline and altitude band (metres): finite, within bounds, lower < upper.
    public func validate() throws(VolumeError) {
        guard altitudeLower.isFinite else { throw .nonFinite(field: "altitude lower") }
        guard altitudeUpper.isFinite else { throw .nonFinite(field: "altitude upper") }
        for a in [altitudeLower, altitudeUpper]
        where a < VolumeLimits.minAltitude || a > VolumeLimits.maxAltitude {
            throw .altitudeOutOfRange(altitude: a)
        }
        guard altitudeLower < altitudeUpper else { throw .altitudeBandEmpty(lower: altitudeLower, upper: altitudeUpper) }
        try outline.validate()
    }
}

extension Volume4D {
    /// Validates time window (finite, in range, end > start), then the 3D volume.
    public func validate() throws(VolumeError) {
        guard timeStart.isFinite else { throw .nonFinite(field: "time start") }
        guard timeEnd.isFinite else { throw .nonFinite(field: "time end") }
        for t in [timeStart, timeEnd] where t < 0 || t >= VolumeLimits.maxTime { throw .timeOutOfRange(time: t) }
        guard timeEnd > timeStart else { throw .timeWindowEmpty(start: timeStart, end: timeEnd) }
        try volume.validate()
    }
}
