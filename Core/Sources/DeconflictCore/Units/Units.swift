/// Aviation units, converted to SI exactly once at the edges.
///
/// Inside the core every length is metres, every speed m/s, every time seconds.
/// The constants are the exact definitions (DOMAIN.md "Units").
public enum Units {
    /// Metres per nautical mile.
    public static let metresPerNM = 1852.0
    /// Metres per foot.
    public static let metresPerFoot = 0.3048
    /// Metres per second per knot (1852 m / 3600 s).
    public static let mpsPerKnot = 1852.0 / 3600.0
    /// Metres per second per foot per minute.
    public static let mpsPerFpm = 0.3048 / 60.0
    /// Mean Earth radius used by the flat-earth pair geometry (BlueSky's value), metres.
    public static let earthRadius = 6_371_000.0

    @inlinable public static func nm(_ v: Double) -> Double { v * metresPerNM }
    @inlinable public static func ft(_ v: Double) -> Double { v * metresPerFoot }
    @inlinable public static func kt(_ v: Double) -> Double { v * mpsPerKnot }
    @inlinable public static func fpm(_ v: Double) -> Double { v * mpsPerFpm }

    @inlinable public static func toNM(_ m: Double) -> Double { m / metresPerNM }
    @inlinable public static func toFt(_ m: Double) -> Double { m / metresPerFoot }
    @inlinable public static func toKt(_ mps: Double) -> Double { mps / mpsPerKnot }
    @inlinable public static func toFpm(_ mps: Double) -> Double { mps / mpsPerFpm }

    @inlinable public static func rad(_ deg: Double) -> Double { deg * .pi / 180.0 }
    @inlinable public static func deg(_ rad: Double) -> Double { rad * 180.0 / .pi }

    /// Longitude difference wrapped to [-180, 180).
    @inlinable public static func wrap180(_ deg: Double) -> Double {
        var d = (deg + 180.0).truncatingRemainder(dividingBy: 360.0)
        if d < 0 { d += 360.0 }
        return d - 180.0
    }
}
