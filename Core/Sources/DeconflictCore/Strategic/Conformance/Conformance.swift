/// Conformance of a track report to its Activated intent (DOMAIN.md §4).
///
/// Inside = some volume whose time window contains the report time (tolerance 0 s), whose
/// outline contains the position within the horizontal tolerance (default 0.1 NM = 185.2 m),
/// and whose altitude band contains the altitude within the vertical tolerance (default 100 ft).
/// The report's `alt` (metres) is compared with the band as-is: intents and tracks must use the
/// same altitude reference (the edges convert).
public struct ConformanceTolerance: Sendable, Hashable {
    public var horizontal: Double
    public var vertical: Double
    public var time: Double
    public init(horizontal: Double = Units.nm(0.1), vertical: Double = Units.ft(100), time: Double = 0) {
        self.horizontal = horizontal; self.vertical = vertical; self.time = time
    }
    public static let `default` = ConformanceTolerance()
}

public enum ConformanceStatus: Sendable, Hashable {
    /// Inside volume `volumeIndex`.
    case conforming(volumeIndex: Int)
    /// No volume's time window contains the report time.
    case outsideTime
    /// Volumes are active but the aircraft is outside all of them; the nearest one (least
    /// horizontal + vertical excess beyond the tolerances, metres) is reported.
    case outsideVolume(volumeIndex: Int, horizontalExcess: Double, verticalExcess: Double)
    /// The intent is not Activated or Nonconforming (no conformance monitoring).
    case notMonitored(IntentState)
}

public struct ConformanceResult: Sendable, Hashable {
    public var status: ConformanceStatus
    /// The state the store should set, or nil to keep it: Activated + outside → Nonconforming.
    public var newState: IntentState?
    public var isConforming: Bool { if case .conforming = status { return true } else { return false } }
}

public enum Conformance {
    public static func check(_ s: AircraftState, intent: Intent,
                             tolerance: ConformanceTolerance = .default) -> ConformanceResult {
        guard intent.state == .activated || intent.state == .nonconforming else {
            return ConformanceResult(status: .notMonitored(intent.state), newState: nil)
        }
        let status = evaluate(s, volumes: intent.volumes, tolerance: tolerance)
        if case .conforming = status { return ConformanceResult(status: status, newState: nil) }
        return ConformanceResult(status: status, newState: intent.state == .activated ? .nonconforming : nil)
    }

    /// Conformance against a list of volumes (state-independent).
    public static func evaluate(_ s: AircraftState, volumes: [Volume4D],
                                tolerance: ConformanceTolerance = .default) -> ConformanceStatus {
        let p = LatLon(lat: s.lat, lon: s.lon)
        guard s.lat.isFinite, s.lon.isFinite, s.alt.isFinite, s.time.isFinite else { return .outsideTime }
        var best: (Int, Double, Double)? = nil
        for (i, v) in volumes.enumerated()
        where s.time >= v.timeStart - tolerance.time && s.time <= v.timeEnd + tolerance.time {
            let h = Swift.max(0, v.volume.horizontalDistance(to: p) - tolerance.horizontal)
            let below = v.volume.altitudeLower - s.alt, above = s.alt - v.volume.altitudeUpper
            let vx = Swift.max(0, Swift.max(below, above) - tolerance.vertical)
            if h == 0 && vx == 0 { return .conforming(volumeIndex: i) }
            if best == nil || h + vx < best!.1 + best!.2 { best = (i, h, vx) }
        }
        guard let b = best else { return .outsideTime }
        return .outsideVolume(volumeIndex: b.0, horizontalExcess: b.1, verticalExcess: b.2)
    }
}
