// Internal spherical and planar helpers for the strategic geometry.

enum SphereGeo {
    static let R = Units.earthRadius

    static func unit(_ p: LatLon) -> Vec3 {
        let phi = Units.rad(p.lat), lam = Units.rad(p.lon)
        let c = cos(phi)
        return Vec3(x: c * cos(lam), y: c * sin(lam), z: sin(phi))
    }

    static func latLon(_ v: Vec3) -> LatLon {
        LatLon(lat: Units.deg(atan2(v.z, (v.x * v.x + v.y * v.y).squareRoot())),
               lon: Units.deg(atan2(v.y, v.x)))
    }

    /// Angle between two unit vectors, radians (accurate at all sizes).
    static func angle(_ a: Vec3, _ b: Vec3) -> Double { atan2(a.cross(b).norm, a.dot(b)) }

    /// Great-circle distance, metres.
    static func distance(_ a: LatLon, _ b: LatLon) -> Double { angle(unit(a), unit(b)) * R }

    /// Angular distance from p to the minor great-circle arc a–b, radians.
    static func arcDistance(_ p: Vec3, _ a: Vec3, _ b: Vec3) -> Double {
        let n = a.cross(b)
        let nn = n.norm
        let ends = Swift.min(angle(p, a), angle(p, b))
        if nn < 1e-15 { return ends }
        let nu = n * (1 / nn)
        let s = p.dot(nu)
        let proj = p - nu * s
        if proj.norm < 1e-15 { return ends }
        // The foot of the perpendicular lies on the arc iff it is between a and b.
        if a.cross(proj).dot(n) >= 0 && proj.cross(b).dot(n) >= 0 {
            return Swift.min(ends, atan2(Swift.abs(s), proj.norm))
        }
        return ends
    }

    /// Signed solid angle of the spherical triangle (a, b, c) (Van Oosterom–Strackee).
    static func solidAngle(_ a: Vec3, _ b: Vec3, _ c: Vec3) -> Double {
        let num = a.dot(b.cross(c))
        let den = 1 + a.dot(b) + b.dot(c) + c.dot(a)
        return 2 * atan2(num, den)
    }

    /// A tangent basis (east, north) at a unit vector.
    static func basis(_ c: Vec3) -> (e: Vec3, n: Vec3) {
        var e = Vec3(x: -c.y, y: c.x, z: 0)
        if e.norm < 1e-12 { e = Vec3(x: 0, y: 1, z: 0) } // at a pole: any east
        e = e.normalized
        let n = c.cross(e).normalized
        return (e, n)
    }
}

/// A point of a gnomonic plane, metres.
struct PlaneXY: Hashable {
    var x: Double, y: Double
    static func - (a: PlaneXY, b: PlaneXY) -> PlaneXY { PlaneXY(x: a.x - b.x, y: a.y - b.y) }
    func cross(_ b: PlaneXY) -> Double { x * b.y - y * b.x }
    func dot(_ b: PlaneXY) -> Double { x * b.x + y * b.y }
    var norm: Double { (x * x + y * y).squareRoot() }
}

/// The gnomonic projection about a centre: great circles map to straight lines, so polygons
/// with great-circle edges are exactly straight-edged polygons in the plane.
struct GnomonicPlane {
    let c: Vec3, e: Vec3, n: Vec3
    init(center: Vec3) { c = center; (e, n) = SphereGeo.basis(center) }
    /// Valid for points in the open hemisphere about the centre (callers keep points within
    /// a few degrees of it).
    func project(_ v: Vec3) -> PlaneXY {
        let d = Swift.max(v.dot(c), 1e-9)
        return PlaneXY(x: SphereGeo.R * v.dot(e) / d, y: SphereGeo.R * v.dot(n) / d)
    }
}

enum PlaneGeo {
    /// Signed distance of p from the line a→b (left positive).
    static func side(_ a: PlaneXY, _ b: PlaneXY, _ p: PlaneXY) -> Double {
        let d = b - a
        let l = d.norm
        if l == 0 { return (p - a).norm }
        return d.cross(p - a) / l
    }
    /// Parameter of the projection of p on a→b.
    static func param(_ a: PlaneXY, _ b: PlaneXY, _ p: PlaneXY) -> Double {
        let d = b - a
        let l2 = d.dot(d)
        return l2 == 0 ? 0 : d.dot(p - a) / l2
    }
    static func pointSegmentDistance(_ p: PlaneXY, _ a: PlaneXY, _ b: PlaneXY) -> Double {
        let t = Swift.max(0, Swift.min(1, param(a, b, p)))
        let q = PlaneXY(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t)
        return (p - q).norm
    }
    static func segmentsDistance(_ a: PlaneXY, _ b: PlaneXY, _ c: PlaneXY, _ d: PlaneXY) -> Double {
        if properlyCross(a, b, c, d, eps: 0) { return 0 }
        return Swift.min(Swift.min(pointSegmentDistance(a, c, d), pointSegmentDistance(b, c, d)),
                         Swift.min(pointSegmentDistance(c, a, b), pointSegmentDistance(d, a, b)))
    }
    /// Each segment's endpoints lie strictly (by more than eps) on both sides of the other's line.
    static func properlyCross(_ a: PlaneXY, _ b: PlaneXY, _ c: PlaneXY, _ d: PlaneXY, eps: Double) -> Bool {
        let s1 = side(a, b, c), s2 = side(a, b, d)
        guard (s1 > eps && s2 < -eps) || (s1 < -eps && s2 > eps) else { return false }
        let s3 = side(c, d, a), s4 = side(c, d, b)
        return (s3 > eps && s4 < -eps) || (s3 < -eps && s4 > eps)
    }
    static func signedArea(_ pts: [PlaneXY]) -> Double {
        var s = 0.0
        for i in pts.indices {
            let a = pts[i], b = pts[(i + 1) % pts.count]
            s += a.x * b.y - b.x * a.y
        }
        return s / 2
    }
    /// Crossing-number point-in-polygon (boundary handling is the caller's job).
    static func inside(_ p: PlaneXY, _ poly: [PlaneXY]) -> Bool {
        var inside = false
        var j = poly.count - 1
        for i in poly.indices {
            let a = poly[i], b = poly[j]
            if (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)
                if p.x < x { inside.toggle() }
            }
            j = i
        }
        return inside
    }
}
