/// The local projection the alerting logic works in: each pair is seen in an east-north-up
/// tangent plane centred on the ownship, on a sphere whose radius makes one arc minute one
/// nautical mile (the convention of NASA DAIDALUS, whose reference outputs we match).
///
/// A position is projected orthographically: the chord from the ownship to the intruder (both on
/// the sphere, altitude ignored) is rotated into the ownship's east/north axes. Altitude is kept
/// separately as the vertical coordinate. A velocity is projected as the displacement of the
/// aircraft along its great circle over ``velocityStep`` seconds, projected the same way and
/// divided by the step; this reproduces DAIDALUS's separations, closure rates, TCPA and
/// tau_mod for NASA scenario H1 to ≤ 1e-6 NM / 1e-6 s (see docs/alerting.md).
public enum TangentPlane {
    /// Sphere radius, metres: 1852 m per arc minute.
    public static let sphereRadius = 1852.0 * 60.0 * 180.0 / Double.pi
    /// Time step of the finite-difference velocity projection, seconds.
    public static let velocityStep = 10.0

    /// One aircraft prepared for projection: Earth-centred position on the sphere, its
    /// great-circle displacement rate, and its local east and north unit vectors.
    public struct Point: Sendable {
        public var id: String
        /// Earth-centred, Earth-fixed position on the sphere (m).
        public var x: Double, y: Double, z: Double
        /// Earth-centred displacement rate over ``velocityStep`` (m/s).
        public var dx: Double, dy: Double, dz: Double
        /// Local east unit vector (Earth-centred axes).
        public var ex: Double, ey: Double
        /// Local north unit vector (Earth-centred axes).
        public var nx: Double, ny: Double, nz: Double
        /// Altitude (m) and vertical speed (m/s).
        public var alt: Double, vs: Double
        /// Altitude in feet as reported, when known.
        public var altFt: Double?

        public init(_ s: AircraftState) {
            id = s.id
            let R = TangentPlane.sphereRadius
            let la = Units.rad(s.lat), lo = Units.rad(s.lon)
            let cla = cos(la), sla = sin(la)
            let p = Vec3(latDeg: s.lat, lonDeg: s.lon) * R
            let (e, n) = Vec3.eastNorth(latDeg: s.lat, lonDeg: s.lon)
            x = p.x; y = p.y; z = p.z
            ex = e.x; ey = e.y
            nx = n.x; ny = n.y; nz = n.z
            // Great-circle move over the velocity step.
            let dist = s.gs * TangentPlane.velocityStep
            if dist > 0 {
                let d = dist / R, th = Units.rad(s.trk)
                let sd = sin(d), cd = cos(d)
                let la2 = asin(min(1, max(-1, sla * cd + cla * sd * cos(th))))
                let lo2 = lo + atan2(sin(th) * sd * cla, cd - sla * sin(la2))
                let cla2 = cos(la2)
                let inv = 1.0 / TangentPlane.velocityStep
                dx = (R * cla2 * cos(lo2) - x) * inv
                dy = (R * cla2 * sin(lo2) - y) * inv
                dz = (R * sin(la2) - z) * inv
            } else {
                dx = 0; dy = 0; dz = 0
            }
            alt = s.alt; vs = s.vs; altFt = s.altFt
        }
    }

    /// The relative state ownship − intruder in the ownship's tangent plane.
    @inlinable
    public static func relative(own o: Point, intruder i: Point) -> RelativeState {
        let px = o.x - i.x, py = o.y - i.y, pz = o.z - i.z
        let wx = o.dx - i.dx, wy = o.dy - i.dy, wz = o.dz - i.dz
        return RelativeState(
            sx: o.ex * px + o.ey * py,
            sy: o.nx * px + o.ny * py + o.nz * pz,
            sz: o.alt - i.alt,
            vx: o.ex * wx + o.ey * wy,
            vy: o.nx * wx + o.ny * wy + o.nz * wz,
            vz: o.vs - i.vs)
    }
}

/// Relative position and velocity of the ownship with respect to an intruder (ownship minus
/// intruder), metres and m/s: x east, y north, z up.
public struct RelativeState: Sendable, Equatable {
    public var sx: Double, sy: Double, sz: Double
    public var vx: Double, vy: Double, vz: Double

    @inlinable public init(sx: Double, sy: Double, sz: Double, vx: Double, vy: Double, vz: Double) {
        self.sx = sx; self.sy = sy; self.sz = sz; self.vx = vx; self.vy = vy; self.vz = vz
    }

    /// Horizontal distance now, m.
    @inlinable public var horizontalDistance: Double { (sx * sx + sy * sy).squareRoot() }
    /// s·v (horizontal), m²/s: negative while closing.
    @inlinable public var dot: Double { sx * vx + sy * vy }
    /// |v|² (horizontal), m²/s².
    @inlinable public var speedSquared: Double { vx * vx + vy * vy }

    /// Horizontal time to closest point of approach, s (may be negative: CPA in the past).
    @inlinable public var tcpa: Double {
        let v2 = speedSquared
        return v2 > 0 ? -dot / v2 : 0
    }

    /// Horizontal distance at time `t`, m.
    @inlinable public func horizontalDistance(at t: Double) -> Double {
        let x = sx + vx * t, y = sy + vy * t
        return (x * x + y * y).squareRoot()
    }
}
