/// The protected zone and lookahead of state-based conflict detection, in SI units.
///
/// Defaults are the classic 5 NM / 1000 ft / 300 s (DOMAIN.md §1).
public struct DetectionParameters: Sendable, Hashable {
    /// Horizontal protected-zone radius, metres.
    public var rpz: Double
    /// Vertical protected-zone half height, metres.
    public var hpz: Double
    /// Lookahead, seconds.
    public var lookahead: Double

    public init(rpz: Double, hpz: Double, lookahead: Double) {
        self.rpz = rpz; self.hpz = hpz; self.lookahead = lookahead
    }

    /// From aviation units: radius in NM, half height in feet, lookahead in seconds.
    public init(rpzNM: Double = 5, hpzFt: Double = 1000, lookaheadS: Double = 300) {
        self.init(rpz: Units.nm(rpzNM), hpz: Units.ft(hpzFt), lookahead: lookaheadS)
    }

    public static let classic = DetectionParameters()

    /// Why a parameter set is unusable, or nil when it is fine.
    public var problem: String? {
        if !(rpz.isFinite && rpz > 0) { return "rpz must be a positive number" }
        if !(hpz.isFinite && hpz > 0) { return "hpz must be a positive number" }
        if !(lookahead.isFinite && lookahead >= 0) { return "lookahead must be zero or positive" }
        if lookahead > 86_400 { return "lookahead must be at most 86400 s" }
        return nil
    }
}
