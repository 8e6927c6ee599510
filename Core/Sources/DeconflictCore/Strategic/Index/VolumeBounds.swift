
/// Conservative bounding boxes of the core's volumes, for the stores' indexes and locks.
///
/// A box must contain every point of its volume (a missed candidate would skip a key check),
/// so it errs outwards: polygon edges are great-circle arcs, which bulge poleward between
/// vertices, so each edge is sampled along the arc and the box padded; volumes near a pole or
/// across the antimeridian get the full longitude range.
public enum VolumeBounds {
    /// Padding added horizontally, degrees (~200 m): far more than the arc bulge between samples.
    public static let padDeg = 0.002
    public static let samplesPerEdge = 16

    public static func box(_ v: Volume4D) -> Box4 {
        let (minLat, maxLat, minLon, maxLon) = snapped(horizontal(v.volume.outline))
        return Box4(minLon: minLon, maxLon: maxLon, minLat: minLat, maxLat: maxLat,
                    minAlt: v.volume.altitudeLower, maxAlt: v.volume.altitudeUpper,
                    t0: v.timeStart, t1: v.timeEnd)
    }

    /// Grown outwards to the boundaries of the core's covering cells (``CellGrid/standard``):
    /// the key check asks for every intent that SHARES A COVERING CELL with the proposal, so
    /// two volumes sharing a cell must have overlapping boxes. Longitude snaps to the widest
    /// column of the rows spanned; narrower columns' boundaries are aligned with it.
    public static func snapped(_ h: (Double, Double, Double, Double)) -> (Double, Double, Double, Double) {
        let (minLat, maxLat, minLon, maxLon) = h
        guard [minLat, maxLat, minLon, maxLon].allSatisfy({ $0.isFinite }) else { return h }
        let g = CellGrid.standard
        let eps = 1e-9
        let r0 = g.row(lat: minLat), r1 = g.row(lat: maxLat)
        let lat0 = max(-90, -90 + Double(r0) * g.rowHeight - eps)
        let lat1 = min(90, -90 + Double(r1 + 1) * g.rowHeight + eps)
        if minLon <= -180 && maxLon >= 180 { return (lat0, lat1, -180, 180) }
        let w = g.rowHeight * Double(1 << max(g.shift(row: r0), g.shift(row: r1)))
        let lon0 = max(-180, -180 + ((minLon + 180) / w).rounded(.down) * w - eps)
        let lon1 = min(180, -180 + (((maxLon + 180) / w).rounded(.down) + 1) * w + eps)
        return (lat0, lat1, lon0, lon1)
    }

    /// One box per volume; nil if there are none or any is invalid (the rules refuse those).
    public static func boxes(_ vs: [Volume4D]) -> [Box4]? {
        let bs = vs.map(box)
        return bs.isEmpty || !bs.allSatisfy(\.isValid) ? nil : bs
    }

    public static func union(_ vs: [Volume4D]) -> Box4? {
        Box4.enclosing(vs.map(box))
    }

    private static func horizontal(_ o: Outline) -> (Double, Double, Double, Double) {
        switch o {
        case let .circle(c, r):
            let dLat = Units.deg(r / Units.earthRadius)
            let minLat = c.lat - dLat - padDeg, maxLat = c.lat + dLat + padDeg
            let maxAbsLat = max(abs(minLat), abs(maxLat))
            if maxAbsLat >= 89 { return fullLon(minLat: minLat, maxLat: maxLat) }
            let dLon = dLat / cos(Units.rad(maxAbsLat)) + padDeg
            return lonRange(minLat: minLat, maxLat: maxLat, lons: [c.lon - dLon, c.lon + dLon], ref: c.lon)
        case let .polygon(vertices):
            guard let first = vertices.first else { return (0, 0, 0, 0) }
            var minLat = first.lat, maxLat = first.lat
            var lons: [Double] = []
            let n = vertices.count
            for i in 0..<n {
                let a = vertices[i], b = vertices[(i + 1) % n]
                for s in 0..<samplesPerEdge {
                    let p = slerp(a, b, Double(s) / Double(samplesPerEdge))
                    minLat = min(minLat, p.lat); maxLat = max(maxLat, p.lat)
                    lons.append(p.lon)
                }
            }
            minLat -= padDeg; maxLat += padDeg
            if max(abs(minLat), abs(maxLat)) >= 89 { return fullLon(minLat: minLat, maxLat: maxLat) }
            let padLon = padDeg / cos(Units.rad(max(abs(minLat), abs(maxLat))))
            let unwrapped = lons.map { first.lon + Units.wrap180($0 - first.lon) }
            return lonRange(minLat: minLat, maxLat: maxLat,
                            lons: [unwrapped.min()! - padLon, unwrapped.max()! + padLon], ref: first.lon)
        }
    }

    private static func fullLon(minLat: Double, maxLat: Double) -> (Double, Double, Double, Double) {
        (max(-90, minLat <= -89 ? -90 : minLat), min(90, maxLat >= 89 ? 90 : maxLat), -180, 180)
    }

    /// Longitudes unwrapped around `ref`; crossing ±180 gives the full range (rare, conservative).
    private static func lonRange(minLat: Double, maxLat: Double, lons: [Double], ref: Double) -> (Double, Double, Double, Double) {
        let lo = lons.min()!, hi = lons.max()!
        if lo < -180 || hi > 180 { return (max(-90, minLat), min(90, maxLat), -180, 180) }
        return (max(-90, minLat), min(90, maxLat), lo, hi)
    }

    /// Point at fraction t along the great-circle arc a→b.
    private static func slerp(_ a: LatLon, _ b: LatLon, _ t: Double) -> LatLon {
        if t == 0 { return a }
        let (ax, ay, az) = xyz(a), (bx, by, bz) = xyz(b)
        let dot = max(-1, min(1, ax * bx + ay * by + az * bz))
        let omega = acos(dot)
        if omega < 1e-12 { return a }
        let s = sin(omega)
        let wa = sin((1 - t) * omega) / s, wb = sin(t * omega) / s
        let x = wa * ax + wb * bx, y = wa * ay + wb * by, z = wa * az + wb * bz
        return LatLon(lat: Units.deg(atan2(z, (x * x + y * y).squareRoot())), lon: Units.deg(atan2(y, x)))
    }

    private static func xyz(_ p: LatLon) -> (Double, Double, Double) {
        let la = Units.rad(p.lat), lo = Units.rad(p.lon)
        return (cos(la) * cos(lo), cos(la) * sin(lo), sin(la))
    }
}
