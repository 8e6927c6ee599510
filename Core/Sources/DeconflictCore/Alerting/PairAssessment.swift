extension Alerter {
    /// The highest level whose volume is predicted to be violated within its alerting time
    /// (its early alerting time for levels up to `held`, the level the pair currently holds);
    /// 0 when none.
    public func rawLevel(_ r: RelativeState, held: Int = 0) -> Int {
        var k = levels.count
        while k > 0 {
            let level = levels[k - 1]
            let horizon = k <= held ? level.earlyAlertingTime : level.alertingTime
            if let iv = level.volume.violationInterval(r, lookahead: lookahead), iv.entry <= horizon {
                return k
            }
            k -= 1
        }
        return 0
    }

    /// Time until level `k`'s volume is violated (0 when violated now), s; infinity when no
    /// violation is predicted within the lookahead.
    public func timeToViolation(level k: Int, _ r: RelativeState) -> Double {
        guard k >= 1, k <= levels.count,
              let iv = levels[k - 1].volume.violationInterval(r, lookahead: lookahead) else { return .infinity }
        return iv.entry
    }
}

/// What is reported for one (ownship, intruder) pair at one step.
public struct PairAssessment: Sendable, Equatable {
    /// Filtered alert level (0 none).
    public var level: Int
    /// Raw (unfiltered) level of this step.
    public var rawLevel: Int
    /// Time to each level's volume, s (index 0 = level 1); infinity when none within lookahead.
    public var timeToLevel: [Double]
    /// Horizontal separation now, m.
    public var horizontalSeparation: Double
    /// Vertical separation now, m (absolute).
    public var verticalSeparation: Double
    /// Vertical separation in feet, from reported feet when both are known.
    public var verticalSeparationFt: Double
    /// Horizontal time to CPA, s, clamped at 0 once the CPA is past.
    public var tcpa: Double
    /// Horizontal distance at that time, m.
    public var dcpa: Double
    /// tau_mod against the alerter's most severe DTHR, s; nil when not closing or already inside.
    public var tauMod: Double?

    public init(alerter: Alerter, relative r: RelativeState, level: Int, rawLevel: Int,
                ownAltFt: Double? = nil, intruderAltFt: Double? = nil) {
        self.level = level
        self.rawLevel = rawLevel
        timeToLevel = (1...max(1, alerter.levels.count)).map { alerter.timeToViolation(level: $0, r) }
        horizontalSeparation = r.horizontalDistance
        verticalSeparation = abs(r.sz)
        if let a = ownAltFt, let b = intruderAltFt { verticalSeparationFt = abs(a - b) }
        else { verticalSeparationFt = Units.toFt(abs(r.sz)) }
        tcpa = max(0, r.tcpa)
        dcpa = r.horizontalDistance(at: tcpa)
        if let t = WellClear.tauMod(r, dthr: alerter.tauModThreshold), t >= 0 { tauMod = t } else { tauMod = nil }
    }
}
