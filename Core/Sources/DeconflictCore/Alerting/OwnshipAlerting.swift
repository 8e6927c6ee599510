/// Alerting for one ownship against its intruders, step by step (the `.daa` use case): every
/// intruder is assessed every step and its filter state is kept by intruder id.
public struct OwnshipAlerting: Sendable {
    public let alerter: Alerter
    private var filters: [String: AlertFilter] = [:]

    public init(alerter: Alerter) { self.alerter = alerter }

    /// Assesses each intruder against the ownship at `time` (states already at that time).
    /// Intruders not seen for longer than the hysteresis time are forgotten.
    public mutating func step(ownship: AircraftState, intruders: [AircraftState], time: Double)
        -> [(intruder: String, assessment: PairAssessment)] {
        let own = TangentPlane.Point(ownship)
        var out: [(intruder: String, assessment: PairAssessment)] = []
        out.reserveCapacity(intruders.count)
        for s in intruders {
            let r = TangentPlane.relative(own: own, intruder: TangentPlane.Point(s))
            var f = filters[s.id] ?? AlertFilter(alerter.filter)
            let raw = alerter.rawLevel(r, held: f.held)
            let level = f.update(raw: raw, at: time)
            filters[s.id] = f
            out.append((s.id, PairAssessment(alerter: alerter, relative: r, level: level, rawLevel: raw,
                                             ownAltFt: ownship.altFt, intruderAltFt: s.altFt)))
        }
        let limit = alerter.filter.hysteresisTime
        filters = filters.filter { time - $0.value.lastTime <= limit }
        return out
    }
}
