/// The core's one 3-vector: Earth-centred positions and directions (unit sphere or metres),
/// for the strategic volumes' spherical geometry, the polar tangent plane of state-based
/// detection, and the alerting's tangent-plane projection.
public struct Vec3: Sendable, Hashable {
    public var x: Double, y: Double, z: Double

    @inlinable public init(_ x: Double, _ y: Double, _ z: Double) { self.x = x; self.y = y; self.z = z }
    @inlinable public init(x: Double, y: Double, z: Double) { self.init(x, y, z) }

    /// Unit vector of a latitude/longitude (degrees) on the sphere.
    @inlinable public init(latDeg: Double, lonDeg: Double) {
        let f = Units.rad(latDeg), l = Units.rad(lonDeg)
        self.init(cos(f) * cos(l), cos(f) * sin(l), sin(f))
    }

    /// Local east and north unit vectors at a latitude/longitude (degrees).
    @inlinable public static func eastNorth(latDeg: Double, lonDeg: Double) -> (east: Vec3, north: Vec3) {
        let f = Units.rad(latDeg), l = Units.rad(lonDeg)
        return (Vec3(-sin(l), cos(l), 0), Vec3(-sin(f) * cos(l), -sin(f) * sin(l), cos(f)))
    }

    @inlinable public static func + (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable public static func - (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable public static func * (a: Vec3, k: Double) -> Vec3 { Vec3(a.x * k, a.y * k, a.z * k) }
    @inlinable public func dot(_ b: Vec3) -> Double { x * b.x + y * b.y + z * b.z }
    @inlinable public func cross(_ b: Vec3) -> Vec3 { Vec3(y * b.z - z * b.y, z * b.x - x * b.z, x * b.y - y * b.x) }
    @inlinable public var norm: Double { dot(self).squareRoot() }
    /// This vector scaled to length 1 (unchanged when zero).
    @inlinable public var normalized: Vec3 {
        let m = norm
        return m > 0 ? self * (1 / m) : self
    }
}
