// Exact horizontal intersection and containment of outlines (sphere, great-circle edges).

enum OutlineGeometry {
    static var eps: Double { VolumeLimits.horizontalEpsilon }

    /// Do the interiors of two outlines overlap (by more than the tolerance)?
    static func interiorsIntersect(_ a: PreparedOutline, _ b: PreparedOutline) -> Bool {
        let (ca, ra) = a.cap, (cb, rb) = b.cap
        let d = SphereGeo.angle(ca, cb)
        if (d - ra - rb) * SphereGeo.R >= -eps { return false } // bounding caps at most touch
        switch (a, b) {
        case let (.circle(_, r1), .circle(_, r2)):
            return d * SphereGeo.R < (r1 + r2) * SphereGeo.R - eps
        case let (.circle(c, r), .polygon(p)), let (.polygon(p), .circle(c, r)):
            if p.containsRaw(c) { return true }
            return p.boundaryDistance(c) * SphereGeo.R < r * SphereGeo.R - eps
        case let (.polygon(p), .polygon(q)):
            let qp = q.verts.map(p.gnomonic.project)
            var qpl = qp
            if PlaneGeo.signedArea(qpl) < 0 { qpl.reverse() }
            return planarInteriorsIntersect(p.planar, qpl)
        }
    }

    /// Is `inner` inside `outer` (boundaries may touch, within the tolerance)?
    static func contains(_ outer: PreparedOutline, _ inner: PreparedOutline) -> Bool {
        switch (outer, inner) {
        case let (.circle(c1, r1), .circle(c2, r2)):
            return (SphereGeo.angle(c1, c2) + r2 - r1) * SphereGeo.R <= eps
        case let (.circle(c, r), .polygon(p)):
            // A cap is convex: the polygon is inside when its vertices are.
            return p.verts.allSatisfy { (SphereGeo.angle(c, $0) - r) * SphereGeo.R <= eps }
        case let (.polygon(p), .circle(c, r)):
            return p.containsRaw(c) && (r - p.boundaryDistance(c)) * SphereGeo.R <= eps
        case let (.polygon(p), .polygon(q)):
            guard (SphereGeo.angle(p.center, q.center) + q.extent) < 1.2 else { return false }
            var qpl = q.verts.map(p.gnomonic.project)
            if PlaneGeo.signedArea(qpl) < 0 { qpl.reverse() }
            return planarContains(p.planar, qpl)
        }
    }

    // MARK: planar core (both rings counter-clockwise, metres)

    private static func bbox(_ pts: [PlaneXY]) -> (PlaneXY, PlaneXY) {
        var lo = pts[0], hi = pts[0]
        for p in pts {
            lo.x = Swift.min(lo.x, p.x); lo.y = Swift.min(lo.y, p.y)
            hi.x = Swift.max(hi.x, p.x); hi.y = Swift.max(hi.y, p.y)
        }
        return (lo, hi)
    }

    enum Where { case inside, outside, boundary }

    static func classify(_ p: PlaneXY, _ poly: [PlaneXY]) -> Where {
        for i in poly.indices where PlaneGeo.pointSegmentDistance(p, poly[i], poly[(i + 1) % poly.count]) <= eps {
            return .boundary
        }
        return PlaneGeo.inside(p, poly) ? .inside : .outside
    }

    /// Split points (parameters in [0, 1]) of segment a→b by the ring `q`, or nil when the
    /// segment properly crosses an edge of q.
    private static func splits(_ a: PlaneXY, _ b: PlaneXY, _ q: [PlaneXY]) -> [Double]? {
        var ts: [Double] = [0, 1]
        let minX = Swift.min(a.x, b.x) - eps, maxX = Swift.max(a.x, b.x) + eps
        let minY = Swift.min(a.y, b.y) - eps, maxY = Swift.max(a.y, b.y) + eps
        for j in q.indices {
            let c = q[j], d = q[(j + 1) % q.count]
            if Swift.max(c.x, d.x) < minX || Swift.min(c.x, d.x) > maxX
                || Swift.max(c.y, d.y) < minY || Swift.min(c.y, d.y) > maxY { continue }
            if PlaneGeo.properlyCross(a, b, c, d, eps: eps) { return nil }
            guard PlaneGeo.segmentsDistance(a, b, c, d) <= eps else { continue }
            for p in [c, d] where Swift.abs(PlaneGeo.side(a, b, p)) <= eps {
                let t = PlaneGeo.param(a, b, p)
                if t > 0 && t < 1 { ts.append(t) }
            }
            let r = b - a, s = d - c
            let den = r.cross(s)
            if den != 0 {
                let t = (c - a).cross(s) / den
                if t > 0 && t < 1 { ts.append(t) }
            }
        }
        return ts.sorted()
    }

    private static func lerp(_ a: PlaneXY, _ b: PlaneXY, _ t: Double) -> PlaneXY {
        PlaneXY(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t)
    }

    /// Is the boundary point m (on an edge a→b of P, interior on the left) on an edge of Q
    /// running the same way (so both interiors are on the same side)?
    private static func sharedSameSide(_ m: PlaneXY, _ a: PlaneXY, _ b: PlaneXY, _ q: [PlaneXY]) -> Bool {
        let dir = b - a
        let dl = dir.norm
        for j in q.indices {
            let c = q[j], d = q[(j + 1) % q.count]
            guard PlaneGeo.pointSegmentDistance(m, c, d) <= eps else { continue }
            let e = d - c
            let el = e.norm
            guard dl > 0, el > 0 else { continue }
            let cosang = dir.dot(e) / (dl * el)
            if cosang > 0.999_999 { return true }
        }
        return false
    }

    static func planarInteriorsIntersect(_ p: [PlaneXY], _ q: [PlaneXY]) -> Bool {
        let (plo, phi) = bbox(p), (qlo, qhi) = bbox(q)
        if plo.x >= qhi.x - eps || qlo.x >= phi.x - eps || plo.y >= qhi.y - eps || qlo.y >= phi.y - eps {
            return false
        }
        for (s, o) in [(p, q), (q, p)] {
            for i in s.indices {
                let a = s[i], b = s[(i + 1) % s.count]
                guard let ts = splits(a, b, o) else { return true }
                for k in 1..<ts.count where ts[k] - ts[k - 1] > 1e-12 {
                    let m = lerp(a, b, (ts[k] + ts[k - 1]) / 2)
                    switch classify(m, o) {
                    case .inside: return true
                    case .boundary: if sharedSameSide(m, a, b, o) { return true }
                    case .outside: break
                    }
                }
            }
        }
        return false
    }

    /// Is the simple polygon `inner` inside the simple polygon `outer`? (The outer one has no
    /// holes, so it suffices that no piece of the inner boundary lies outside it.)
    static func planarContains(_ outer: [PlaneXY], _ inner: [PlaneXY]) -> Bool {
        for i in inner.indices {
            let a = inner[i], b = inner[(i + 1) % inner.count]
            guard let ts = splits(a, b, outer) else { return false }
            if classify(a, outer) == .outside { return false }
            for k in 1..<ts.count where ts[k] - ts[k - 1] > 1e-12 {
                if classify(lerp(a, b, (ts[k] + ts[k - 1]) / 2), outer) == .outside { return false }
            }
        }
        return true
    }
}

// MARK: - Public API

extension Volume3D {
    /// Do the horizontal outlines' interiors overlap (touching is not overlap)?
    /// Assumes validated volumes (see ``Volume4D/validate()``); outlines without a usable
    /// shape (non-finite, fewer than 3 vertices, zero area, huge) never intersect anything.
    public func horizontallyIntersects(_ other: Volume3D) -> Bool {
        guard let a = PreparedOutline(outline), let b = PreparedOutline(other.outline) else { return false }
        return OutlineGeometry.interiorsIntersect(a, b)
    }

    /// The common altitude band, when thicker than ``VolumeLimits/altitudeEpsilon``.
    public func altitudeOverlap(_ other: Volume3D) -> (lower: Double, upper: Double)? {
        let lo = Swift.max(altitudeLower, other.altitudeLower)
        let hi = Swift.min(altitudeUpper, other.altitudeUpper)
        return hi - lo > VolumeLimits.altitudeEpsilon ? (lo, hi) : nil
    }

    /// 3D interiors overlap.
    public func intersects(_ other: Volume3D) -> Bool {
        altitudeOverlap(other) != nil && horizontallyIntersects(other)
    }

    /// Is `other` inside this volume (outline and altitude band; boundaries may touch)?
    public func contains(_ other: Volume3D) -> Bool {
        guard other.altitudeLower >= altitudeLower - VolumeLimits.altitudeEpsilon,
              other.altitudeUpper <= altitudeUpper + VolumeLimits.altitudeEpsilon,
              let a = PreparedOutline(outline), let b = PreparedOutline(other.outline) else { return false }
        return OutlineGeometry.contains(a, b)
    }

    /// OutlineGeometry distance from a position to the outline, metres (0 inside).
    public func horizontalDistance(to p: LatLon) -> Double {
        guard let a = PreparedOutline(outline) else { return .infinity }
        return a.distance(SphereGeo.unit(p)) * SphereGeo.R
    }
}

extension Volume4D {
    /// The common time window (open: touching end/start is no overlap).
    public func timeOverlap(_ other: Volume4D) -> (start: Double, end: Double)? {
        let s = Swift.max(timeStart, other.timeStart), e = Swift.min(timeEnd, other.timeEnd)
        return e > s ? (s, e) : nil
    }

    /// How the two volumes overlap in 4D, or nil when they do not (touching is not overlap).
    public func overlap(with other: Volume4D) -> VolumeOverlap? {
        guard let t = timeOverlap(other), let a = volume.altitudeOverlap(other.volume),
              volume.horizontallyIntersects(other.volume) else { return nil }
        return VolumeOverlap(timeStart: t.start, timeEnd: t.end, altitudeLower: a.lower, altitudeUpper: a.upper)
    }

    /// Exact 4D intersection of the interiors.
    public func intersects(_ other: Volume4D) -> Bool { overlap(with: other) != nil }
}

/// Great-circle distance between two positions, metres (the model's sphere).
public func greatCircleDistance(_ a: LatLon, _ b: LatLon) -> Double { SphereGeo.distance(a, b) }
