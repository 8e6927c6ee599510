/// One alert level of an alerter: the volume whose predicted violation raises it, and how far
/// ahead that violation must be predicted.
public struct AlertLevel: Sendable, Hashable {
    /// A short name: "preventive", "corrective", "warning", …
    public var name: String
    public var volume: ProtectedVolume
    /// The level is raised when the volume is predicted to be violated within this time, s.
    public var alertingTime: Double
    /// …or within this (longer) time while the level is already held, s.
    public var earlyAlertingTime: Double

    public init(name: String, volume: ProtectedVolume, alertingTime: Double, earlyAlertingTime: Double) {
        self.name = name; self.volume = volume
        self.alertingTime = alertingTime; self.earlyAlertingTime = max(earlyAlertingTime, alertingTime)
    }
}

/// Per-pair filtering of raw levels over time (see ``AlertFilter``).
public struct AlertFilterParameters: Sendable, Hashable {
    /// M of N: a level is output when at least `m` of the last `n` raw levels reach it.
    public var m: Int
    public var n: Int
    /// Raw levels older than this (s) leave the M-of-N window; a longer gap restarts the pair.
    public var hysteresisTime: Double
    /// A level, once output, is held at least this long (s).
    public var persistenceTime: Double

    public init(m: Int = 2, n: Int = 4, hysteresisTime: Double = 5, persistenceTime: Double = 4) {
        self.m = max(1, m); self.n = max(self.m, n)
        self.hysteresisTime = hysteresisTime; self.persistenceTime = persistenceTime
    }
}

/// An alerter: its alert levels (1-based, increasing severity), lookahead and filter, as data.
public struct Alerter: Sendable, Hashable {
    public var name: String
    /// Prediction horizon for the times to each volume, s.
    public var lookahead: Double
    /// Levels 1…k, index 0 is level 1.
    public var levels: [AlertLevel]
    public var filter: AlertFilterParameters

    public init(name: String, lookahead: Double, levels: [AlertLevel], filter: AlertFilterParameters = .init()) {
        self.name = name; self.lookahead = lookahead; self.levels = levels; self.filter = filter
    }

    /// The longest time ahead at which any level can be raised, s.
    public var maxAlertingHorizon: Double {
        min(lookahead, levels.map(\.earlyAlertingTime).max() ?? 0)
    }

    /// The horizontal threshold tau_mod is reported against (the most severe level's).
    public var tauModThreshold: Double { levels.last?.volume.horizontalThreshold ?? 0 }

    // MARK: Built-ins (values of RTCA DO-365B as configured in NASA DAIDALUS v2.0.4)

    private static func wcv(_ dNM: Double?, dFt: Double? = nil, zFt: Double, tthr: Double, tcoa: Double) -> ProtectedVolume {
        let d = dNM.map(Units.nm) ?? Units.ft(dFt ?? 0)
        return .wellClear(WellClearThresholds(dthr: d, zthr: Units.ft(zFt), tthr: tthr, tcoa: tcoa))
    }

    /// DO-365 Phase I (en route, the default): DTHR 0.66 NM, TTHR 35 s, TCOA 0; ZTHR 700 ft for
    /// the preventive level, 450 ft otherwise; alerting 55/55/25 s, early 75/75/55 s.
    public static let phase1 = Alerter(name: "phase1", lookahead: 180, levels: [
        AlertLevel(name: "preventive", volume: wcv(0.66, zFt: 700, tthr: 35, tcoa: 0), alertingTime: 55, earlyAlertingTime: 75),
        AlertLevel(name: "corrective", volume: wcv(0.66, zFt: 450, tthr: 35, tcoa: 0), alertingTime: 55, earlyAlertingTime: 75),
        AlertLevel(name: "warning", volume: wcv(0.66, zFt: 450, tthr: 35, tcoa: 0), alertingTime: 25, earlyAlertingTime: 55),
    ])

    /// DO-365B Phase II (terminal): DTHR 1500 ft, ZTHR 450 ft, TTHR 0, TCOA 0; alerting 45 s,
    /// early 75 s for every level.
    public static let phase2 = Alerter(name: "phase2", lookahead: 180, levels: [
        AlertLevel(name: "preventive", volume: wcv(nil, dFt: 1500, zFt: 450, tthr: 0, tcoa: 0), alertingTime: 45, earlyAlertingTime: 75),
        AlertLevel(name: "corrective", volume: wcv(nil, dFt: 1500, zFt: 450, tthr: 0, tcoa: 0), alertingTime: 45, earlyAlertingTime: 75),
        AlertLevel(name: "warning", volume: wcv(nil, dFt: 1500, zFt: 450, tthr: 0, tcoa: 0), alertingTime: 45, earlyAlertingTime: 75),
    ])

    /// DO-365 non-cooperative intruders: DTHR 2200 ft, ZTHR 450 ft, TTHR 0, TCOA 0; alerting
    /// 55/55/25 s, early 110/110/90 s.
    public static let nonCooperative = Alerter(name: "noncoop", lookahead: 180, levels: [
        AlertLevel(name: "preventive", volume: wcv(nil, dFt: 2200, zFt: 450, tthr: 0, tcoa: 0), alertingTime: 55, earlyAlertingTime: 110),
        AlertLevel(name: "corrective", volume: wcv(nil, dFt: 2200, zFt: 450, tthr: 0, tcoa: 0), alertingTime: 55, earlyAlertingTime: 110),
        AlertLevel(name: "warning", volume: wcv(nil, dFt: 2200, zFt: 450, tthr: 0, tcoa: 0), alertingTime: 25, earlyAlertingTime: 90),
    ])

    /// The classic 5 NM / 1000 ft cylinder over 300 s: level 1 "conflict" when a loss of
    /// separation is predicted within 300 s, level 2 "loss" when separation is lost now.
    public static let cylinder = Alerter(name: "cylinder", lookahead: 300, levels: [
        AlertLevel(name: "conflict", volume: .cylinder(radius: Units.nm(5), halfHeight: Units.ft(1000)), alertingTime: 300, earlyAlertingTime: 300),
        AlertLevel(name: "loss", volume: .cylinder(radius: Units.nm(5), halfHeight: Units.ft(1000)), alertingTime: 0, earlyAlertingTime: 0),
    ])

    /// The built-in alerters by name.
    public static let builtIns: [String: Alerter] = [
        "phase1": phase1, "phase2": phase2, "noncoop": nonCooperative, "cylinder": cylinder,
    ]
}
