/// The exact pair test of state-based conflict detection (DOMAIN.md §1, BlueSky
/// "StateBased" semantics): straight-line extrapolation on a flat earth about the pair's
/// mean latitude, a horizontal circle of radius `rpz` and a vertical slab of half
/// height `hpz`.
///
/// Separation equal to the minimum counts as separated: the horizontal test is strict
/// (`dcpa < rpz`), and vertical separations are compared with a 1 µm tolerance so a
/// level pair exactly 1000 ft apart is separated whatever the rounding of ft→m.
public enum StateBased {
    /// Vertical tolerance, metres: |dalt| must be below `hpz - verticalEpsilon` to be inside.
    public static let verticalEpsilon = 1e-6

    /// The geometry of one pair, or nil when the pair is not in conflict.
    ///
    /// Positions in degrees, altitudes in metres, velocities in m/s (east, north, up).
    @inlinable
    public static func evaluate(
        lat1: Double, lon1: Double, alt1: Double, ve1: Double, vn1: Double, vs1: Double,
        lat2: Double, lon2: Double, alt2: Double, ve2: Double, vn2: Double, vs2: Double,
        parameters p: DetectionParameters
    ) -> PairGeometry? {
        evaluate(lat1: lat1, lon1: lon1, alt1: alt1, ve1: ve1, vn1: vn1, vs1: vs1,
                 lat2: lat2, lon2: lon2, alt2: alt2, ve2: ve2, vn2: vn2, vs2: vs2,
                 cosMeanLat: cos(Units.rad((lat1 + lat2) * 0.5)), parameters: p)
    }

    /// The pair test with the cosine of the pair's mean latitude given (the detector
    /// computes it from per-aircraft half-angle sines and cosines, without a `cos` call).
    @inlinable
    public static func evaluate(
        lat1: Double, lon1: Double, alt1: Double, ve1: Double, vn1: Double, vs1: Double,
        lat2: Double, lon2: Double, alt2: Double, ve2: Double, vn2: Double, vs2: Double,
        cosMeanLat c: Double, parameters p: DetectionParameters
    ) -> PairGeometry? {
        // Vertical window first: it is the cheaper filter.
        let dalt = alt2 - alt1
        let dvs = vs2 - vs1
        let h = p.hpz - verticalEpsilon
        var tinV = -Double.infinity, toutV = Double.infinity
        if abs(dvs) < 1e-12 {
            if !(abs(dalt) < h) { return nil }
        } else {
            let t1 = (-h - dalt) / dvs, t2 = (h - dalt) / dvs
            tinV = min(t1, t2); toutV = max(t1, t2)
            if toutV <= 0 || tinV >= p.lookahead { return nil }
        }
        // Horizontal: relative position and velocity east/north.
        let east: Double, north: Double, du: Double, dv: Double
        if abs(lat1) > polarLatitude || abs(lat2) > polarLatitude {
            (east, north, du, dv) = tangentPlane(lat1, lon1, ve1, vn1, lat2, lon2, ve2, vn2)
        } else {
            // Flat earth about the pair's mean latitude (BlueSky's geometry).
            let r = Units.earthRadius
            east = r * c * Units.rad(Units.wrap180(lon2 - lon1))
            north = r * Units.rad(lat2 - lat1)
            du = ve2 - ve1; dv = vn2 - vn1
        }
        let v2 = du * du + dv * dv
        let dist2 = east * east + north * north
        let rpz2 = p.rpz * p.rpz
        var tcpa = 0.0, dcpa2 = dist2
        var tinH = -Double.infinity, toutH = Double.infinity
        if v2 > 1e-12 {
            tcpa = -(du * east + dv * north) / v2
            let xe = east + du * tcpa, xn = north + dv * tcpa
            dcpa2 = xe * xe + xn * xn
            if !(dcpa2 < rpz2) { return nil }
            let half = (rpz2 - dcpa2).squareRoot() / v2.squareRoot()
            tinH = tcpa - half; toutH = tcpa + half
        } else if !(dist2 < rpz2) {
            return nil
        }
        let tin = max(tinH, tinV), tout = min(toutH, toutV)
        guard tin < tout, tout > 0, tin < p.lookahead else { return nil }
        return PairGeometry(tcpa: tcpa, dcpa: dcpa2.squareRoot(), tin: tin, tout: tout,
                            los: dist2 < rpz2 && abs(dalt) < h,
                            distance: dist2.squareRoot(), verticalSeparation: abs(dalt))
    }

    /// Above this latitude (either aircraft) the pair is solved in the tangent plane at
    /// the pair's midpoint instead: the mean-latitude flat earth breaks down near a pole
    /// (two aircraft on opposite meridians of the pole would appear far apart).
    public static let polarLatitude = 80.0

    /// Relative position (2 − 1) and velocity in the plane tangent to the sphere at the
    /// midpoint of the two aircraft (orthographic; < 1 mm off great-circle distance
    /// at 100 km).
    @inlinable
    static func tangentPlane(_ lat1: Double, _ lon1: Double, _ ve1: Double, _ vn1: Double,
                             _ lat2: Double, _ lon2: Double, _ ve2: Double, _ vn2: Double)
        -> (east: Double, north: Double, du: Double, dv: Double) {
        let p1 = Vec3(latDeg: lat1, lonDeg: lon1), p2 = Vec3(latDeg: lat2, lonDeg: lon2)
        let sum = p1 + p2
        let mid = sum.norm > 0 ? sum.normalized : Vec3(0, 0, 1)
        let mLat = Units.deg(asin(max(-1, min(1, mid.z)))), mLon = Units.deg(atan2(mid.y, mid.x))
        let (e, n) = Vec3.eastNorth(latDeg: mLat, lonDeg: mLon)
        let (e1, n1) = Vec3.eastNorth(latDeg: lat1, lonDeg: lon1)
        let (e2, n2) = Vec3.eastNorth(latDeg: lat2, lonDeg: lon2)
        let v1 = e1 * ve1 + n1 * vn1, v2 = e2 * ve2 + n2 * vn2
        let d = (p2 - p1) * Units.earthRadius, dvel = v2 - v1
        return (d.dot(e), d.dot(n), dvel.dot(e), dvel.dot(n))
    }

    /// The pair test on two ``AircraftState`` values.
    public static func evaluate(_ s1: AircraftState, _ s2: AircraftState,
                                parameters p: DetectionParameters) -> PairGeometry? {
        let v1 = s1.velocityEN, v2 = s2.velocityEN
        return evaluate(lat1: s1.lat, lon1: s1.lon, alt1: s1.alt, ve1: v1.east, vn1: v1.north, vs1: s1.vs,
                        lat2: s2.lat, lon2: s2.lon, alt2: s2.alt, ve2: v2.east, vn2: v2.north, vs2: s2.vs,
                        parameters: p)
    }
}

/// What the pair test found: times in seconds from now, distances in metres.
public struct PairGeometry: Sendable, Hashable {
    public var tcpa: Double
    public var dcpa: Double
    public var tin: Double
    public var tout: Double
    public var los: Bool
    public var distance: Double
    public var verticalSeparation: Double

    @inlinable
    public init(tcpa: Double, dcpa: Double, tin: Double, tout: Double, los: Bool,
                distance: Double, verticalSeparation: Double) {
        self.tcpa = tcpa; self.dcpa = dcpa; self.tin = tin; self.tout = tout; self.los = los
        self.distance = distance; self.verticalSeparation = verticalSeparation
    }
}
