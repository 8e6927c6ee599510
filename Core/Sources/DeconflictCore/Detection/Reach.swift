/// How far around its straight path an aircraft's box in the broad phase must reach, so that
/// every pair a test can flag has overlapping boxes.
///
/// Each term says: over `[0, horizon]` seconds, half of the distance at which a pair can be
/// flagged is at most `h0 + h1·gs` metres horizontally and `v0 + v1·|vs|` metres vertically
/// (gs, vs: the aircraft's own speeds). A reach of several terms covers every one of them (the
/// box sweeps the longest horizon and takes the largest half-widths): one broad phase then
/// serves several tests, e.g. classic detection and DO-365 alerting in one cycle.
public struct Reach: Sendable, Hashable {
    public struct Term: Sendable, Hashable {
        public var horizon: Double
        public var h0: Double, h1: Double
        public var v0: Double, v1: Double
        public init(horizon: Double, h0: Double, h1: Double = 0, v0: Double, v1: Double = 0) {
            self.horizon = horizon; self.h0 = h0; self.h1 = h1; self.v0 = v0; self.v1 = v1
        }
    }

    public var terms: [Term]

    public init(_ terms: [Term]) { self.terms = terms }

    /// Classic state-based detection: half the protected zone, over the lookahead.
    public static func detection(_ p: DetectionParameters) -> Reach {
        Reach([Term(horizon: p.lookahead, h0: p.rpz / 2, v0: p.hpz / 2)])
    }

    /// DO-365 alerting with `a`'s levels (their early alerting times). If a level's volume is
    /// violated at some t* ≤ H (``Alerter/maxAlertingHorizon``), at t* the horizontal distance
    /// is ≤ DTHR + TTHR·|v_rel| (the tau_mod test |s|² + TTHR·s·v ≤ DTHR² bounds it) and the
    /// vertical distance ≤ ZTHR + TCOA·|vz_rel|; |v_rel| ≤ gs₁ + gs₂, so each aircraft takes half
    /// of DTHR plus TTHR·gs, and the like vertically. The factor 1.01 and 200 m cover the
    /// difference between the alerting's tangent-plane distances (on a sphere of 1852 m per arc
    /// minute) and the grid's latitude/longitude ones.
    public static func alerting(_ a: Alerter) -> Reach {
        var dmax = 0.0, tthr = 0.0, zmax = 0.0, tcoa = 0.0
        for l in a.levels {
            switch l.volume {
            case .wellClear(let t):
                dmax = max(dmax, t.dthr); tthr = max(tthr, t.tthr); zmax = max(zmax, t.zthr); tcoa = max(tcoa, t.tcoa)
            case .cylinder(let r, let h):
                dmax = max(dmax, r); zmax = max(zmax, h)
            }
        }
        return Reach([Term(horizon: a.maxAlertingHorizon, h0: dmax / 2 * 1.01 + 200, h1: tthr * 1.01,
                           v0: zmax / 2 + 0.01, v1: tcoa)])
    }

    /// Everything within `radius` metres horizontally and `height` metres vertically now.
    public static func vicinity(radius: Double, height: Double) -> Reach {
        Reach([Term(horizon: 0, h0: radius / 2, v0: height / 2)])
    }

    /// A reach covering both.
    public func union(_ other: Reach) -> Reach { Reach(terms + other.terms) }

    /// The longest horizon of the terms, seconds.
    public var horizon: Double { terms.map(\.horizon).max() ?? 0 }

    /// The half-widths when they do not depend on speed (every term's h1 and v1 are 0).
    public var constantHalf: (horizontal: Double, vertical: Double)? {
        terms.allSatisfy { $0.h1 == 0 && $0.v1 == 0 } ? half(gs: 0, vs: 0) : nil
    }

    /// Half-widths for an aircraft with ground speed `gs` and vertical speed `vs`.
    @inline(__always)
    public func half(gs: Double, vs: Double) -> (horizontal: Double, vertical: Double) {
        var h = 0.0, v = 0.0
        for t in terms {
            h = max(h, t.h0 + t.h1 * gs)
            v = max(v, t.v0 + t.v1 * abs(vs))
        }
        return (h, v)
    }
}
