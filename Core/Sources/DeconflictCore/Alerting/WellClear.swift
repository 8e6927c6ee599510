/// Thresholds of the DO-365 well-clear volume (WCV_TAUMOD), SI units.
public struct WellClearThresholds: Sendable, Hashable {
    /// Horizontal distance threshold DTHR, m.
    public var dthr: Double
    /// Vertical distance threshold ZTHR, m.
    public var zthr: Double
    /// Modified tau threshold TTHR, s.
    public var tthr: Double
    /// Time to co-altitude threshold TCOA, s.
    public var tcoa: Double

    public init(dthr: Double, zthr: Double, tthr: Double, tcoa: Double) {
        self.dthr = dthr; self.zthr = zthr; self.tthr = tthr; self.tcoa = tcoa
    }
}

/// A closed time interval [entry, exit], seconds from now.
public struct ViolationInterval: Sendable, Equatable {
    public var entry: Double
    public var exit: Double
    public init(entry: Double, exit: Double) { self.entry = entry; self.exit = exit }
}

/// A volume whose violation an alert level predicts.
///
/// - `wellClear`: DO-365 / DAIDALUS WCV_TAUMOD (DOMAIN.md §2). Violation is a closed condition
///   (≤ thresholds).
/// - `cylinder`: the classic separation cylinder (radius, half height), loss of separation when
///   strictly inside (a pair exactly at the minimum is separated, DOMAIN.md §1).
public enum ProtectedVolume: Sendable, Hashable {
    case wellClear(WellClearThresholds)
    case cylinder(radius: Double, halfHeight: Double)

    /// Tolerance on distances, m: keeps exact-threshold comparisons from flipping on the
    /// rounding of ft→m conversions (1e-6 m ≈ 3e-6 ft).
    public static let epsilon = 1e-6

    /// The horizontal radius that the volume uses for tau_mod (DTHR, or the cylinder radius).
    public var horizontalThreshold: Double {
        switch self {
        case .wellClear(let t): return t.dthr
        case .cylinder(let r, _): return r
        }
    }

    /// Is the volume violated now?
    public func isViolated(_ r: RelativeState) -> Bool {
        switch self {
        case .wellClear(let t):
            return WellClear.horizontalViolation(r, t) && WellClear.verticalViolation(r, t)
        case .cylinder(let rad, let h):
            let d2 = r.sx * r.sx + r.sy * r.sy
            let lim = rad - Self.epsilon
            return d2 < lim * lim && abs(r.sz) < h - Self.epsilon
        }
    }

    /// The time interval within [0, lookahead] during which the volume is violated, assuming
    /// constant velocities; nil when it is not violated in that window.
    public func violationInterval(_ r: RelativeState, lookahead: Double) -> ViolationInterval? {
        let h: ViolationInterval?, v: ViolationInterval?
        switch self {
        case .wellClear(let t):
            guard let hh = WellClear.horizontalInterval(r, t) else { return nil }
            guard let vv = WellClear.verticalInterval(r, t) else { return nil }
            h = hh; v = vv
        case .cylinder(let rad, let half):
            guard let hh = Cylinder.horizontalInterval(r, radius: rad - Self.epsilon) else { return nil }
            guard let vv = Cylinder.verticalInterval(r, halfHeight: half - Self.epsilon) else { return nil }
            h = hh; v = vv
        }
        let lo = max(0, max(h!.entry, v!.entry))
        let hi = min(lookahead, min(h!.exit, v!.exit))
        switch self {
        case .wellClear: return lo <= hi ? ViolationInterval(entry: lo, exit: hi) : nil
        case .cylinder: return lo < hi ? ViolationInterval(entry: lo, exit: hi) : nil
        }
    }
}

/// DAIDALUS-style WCV_TAUMOD well-clear test (own formulation of DOMAIN.md §2).
public enum WellClear {
    /// tau_mod = (DTHR² − |s|²)/(s·v), defined while closing (s·v < 0); nil otherwise.
    @inlinable
    public static func tauMod(_ r: RelativeState, dthr: Double) -> Double? {
        let sv = r.dot
        guard sv < 0 else { return nil }
        return (dthr * dthr - (r.sx * r.sx + r.sy * r.sy)) / sv
    }

    /// Horizontal closest-approach distance (over all time), m.
    @inlinable
    public static func dcpa(_ r: RelativeState) -> Double {
        let v2 = r.speedSquared
        guard v2 > 0 else { return r.horizontalDistance }
        return r.horizontalDistance(at: -r.dot / v2)
    }

    /// Horizontal well-clear violation now.
    public static func horizontalViolation(_ r: RelativeState, _ t: WellClearThresholds) -> Bool {
        let d = t.dthr + ProtectedVolume.epsilon
        if r.sx * r.sx + r.sy * r.sy <= d * d { return true }
        guard let tau = tauMod(r, dthr: t.dthr) else { return false }
        return dcpa(r) <= d && tau >= 0 && tau <= t.tthr
    }

    /// Vertical well-clear violation now.
    public static func verticalViolation(_ r: RelativeState, _ t: WellClearThresholds) -> Bool {
        if abs(r.sz) <= t.zthr + ProtectedVolume.epsilon { return true }
        guard r.vz != 0, r.sz * r.vz <= 0 else { return false }
        return -r.sz / r.vz <= t.tcoa
    }

    /// Times (unbounded) during which the horizontal test holds: entry where
    /// |s(t)|² + TTHR·(s(t)·v) = DTHR², exit where the DTHR circle is left. Nil when never.
    public static func horizontalInterval(_ r: RelativeState, _ t: WellClearThresholds) -> ViolationInterval? {
        let d = t.dthr + ProtectedVolume.epsilon
        let d2 = d * d
        let a = r.speedSquared
        let s2 = r.sx * r.sx + r.sy * r.sy
        let sv = r.dot
        if a == 0 {
            return s2 <= d2 ? ViolationInterval(entry: -.infinity, exit: .infinity) : nil
        }
        let tc = -sv / a
        let dc2 = max(0, s2 - sv * sv / a)
        guard dc2 <= d2 else { return nil }
        let exit = tc + ((d2 - dc2) / a).squareRoot()
        // Entry: smaller root of a·t² + b·t + c with b = 2 s·v + TTHR·a, c = |s|² + TTHR·s·v − D².
        let b = 2 * sv + t.tthr * a
        let c = s2 + t.tthr * sv - d2
        let disc = max(0, b * b - 4 * a * c)
        let entry = (-b - disc.squareRoot()) / (2 * a)
        return ViolationInterval(entry: min(entry, exit), exit: exit)
    }

    /// Times (unbounded) during which the vertical test holds: within ZTHR, or co-altitude
    /// predicted within TCOA. Nil when never.
    public static func verticalInterval(_ r: RelativeState, _ t: WellClearThresholds) -> ViolationInterval? {
        let z = t.zthr + ProtectedVolume.epsilon
        if r.vz == 0 {
            return abs(r.sz) <= z ? ViolationInterval(entry: -.infinity, exit: .infinity) : nil
        }
        let tco = -r.sz / r.vz
        let half = z / abs(r.vz)
        return ViolationInterval(entry: tco - max(half, t.tcoa), exit: tco + half)
    }
}

/// The classic cylinder (BlueSky state-based CD) as interval tests.
public enum Cylinder {
    /// Open interval during which |s(t)| < radius; nil when never.
    public static func horizontalInterval(_ r: RelativeState, radius: Double) -> ViolationInterval? {
        let a = r.speedSquared
        let s2 = r.sx * r.sx + r.sy * r.sy
        let r2 = radius * radius
        if a == 0 {
            return s2 < r2 ? ViolationInterval(entry: -.infinity, exit: .infinity) : nil
        }
        let tc = -r.dot / a
        let dc2 = max(0, s2 - r.dot * r.dot / a)
        guard dc2 < r2 else { return nil }
        let half = ((r2 - dc2) / a).squareRoot()
        return ViolationInterval(entry: tc - half, exit: tc + half)
    }

    /// Open interval during which |sz(t)| < halfHeight; nil when never.
    public static func verticalInterval(_ r: RelativeState, halfHeight: Double) -> ViolationInterval? {
        if r.vz == 0 {
            return abs(r.sz) < halfHeight ? ViolationInterval(entry: -.infinity, exit: .infinity) : nil
        }
        let tco = -r.sz / r.vz
        let half = halfHeight / abs(r.vz)
        return ViolationInterval(entry: tco - half, exit: tco + half)
    }
}
