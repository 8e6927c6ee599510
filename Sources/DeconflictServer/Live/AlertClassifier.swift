import DeconflictCore

/// Turns a state-based conflict into an alert level (1 preventive, 2 corrective,
/// 3 warning). A seam: the DO-365 alerting engine (branch `alerting`) plugs in here.
public protocol AlertClassifier: Sendable {
    func level(tin: Double, los: Bool) -> Int
}

/// Until the DO-365 engine is wired: time to loss of separation against the classic
/// 5 NM / 1000 ft zone — level 3 if already lost or tin ≤ 60 s, 2 if ≤ 120 s, else 1.
public struct TimeToLoSClassifier: AlertClassifier {
    public var warning: Double = 60
    public var corrective: Double = 120
    public init() {}
    public func level(tin: Double, los: Bool) -> Int {
        if los || tin <= warning { return 3 }
        if tin <= corrective { return 2 }
        return 1
    }
}
