/// What a cycle looked at: the picture at one time, its parties and its broad phase (a fresh
/// report is checked against it until the next cycle).
public struct CycleSnapshot: Sendable {
    public let time: Double
    /// Each aircraft's state at `time`.
    public let states: [AircraftState]
    public let index: [String: Int]
    /// Each aircraft's party as a small integer (nil parties: each aircraft its own).
    public let parties: [Int32]
    public let partyIndex: [String: Int32]
    public let broadPhase: BroadPhase
    /// The classic detection's swept boxes (the broad phase's own when the cycle detects only):
    /// a fresh report is tested against the neighbours these boxes say can conflict with it.
    public let detectionBoxes: SweptBoxes?
}

/// What one cycle found.
public struct CycleOutcome: Sendable {
    public let snapshot: CycleSnapshot
    public let picture: TrafficPicture
    /// Classic conflicts between aircraft of different parties, sorted by (a, b) ids.
    public let conflicts: [Conflict]
    /// Pairs whose filtered DO-365 level is non-zero (`first`/`second` index the states).
    public let alerts: [CycleAlert]
}

/// A pair with a DO-365 level at a cycle.
public struct CycleAlert: Sendable {
    public var first: Int, second: Int
    public var sample: AlertSample
}

/// One pass over a traffic picture — one broad phase, then classic detection and the DO-365
/// alert step on its candidate pairs — that the live service, `scan` and `alerts` all drive
/// (live from the clock, or from a file). Pure apart from the alert filters it keeps between
/// cycles; time is an argument.
public struct Cycle: Sendable {
    public let detector: ConflictDetector?
    public private(set) var alerting: AlertEngine?
    /// The reach of the broad phase: the union of the tests the cycle runs.
    public let reach: Reach

    /// `detector`: classic detection (nil: none); `alerter`: DO-365 levels (nil: none).
    public init(detector: ConflictDetector?, alerter: Alerter?) {
        precondition(detector != nil || alerter != nil, "a cycle runs detection, alerting or both")
        self.detector = detector
        alerting = alerter.map(AlertEngine.init(alerter:))
        switch (detector, alerter) {
        case let (d?, a?): reach = Reach.detection(d.parameters).union(.alerting(a))
        case let (d?, nil): reach = .detection(d.parameters)
        case let (nil, a?): reach = .alerting(a)
        default: reach = Reach([])
        }
    }

    /// Runs the cycle on `states` (all at `time`). `parties[i]`: aircraft i's party; only pairs
    /// of different parties are reported (nil: every aircraft is its own party).
    public mutating func run(_ states: [AircraftState], parties names: [String]?, time: Double) -> CycleOutcome {
        precondition(names == nil || names!.count == states.count)
        var partyIndex: [String: Int32] = [:]
        let parties: [Int32] = names.map { $0.map { n in
            if let k = partyIndex[n] { return k }
            let k = Int32(partyIndex.count); partyIndex[n] = k; return k
        } } ?? states.indices.map { Int32($0) }
        var index: [String: Int] = [:]
        index.reserveCapacity(states.count)
        for (k, s) in states.enumerated() { index[s.id] = k }
        let picture = TrafficPicture(states)
        let broad = BroadPhase(picture, reach: reach)

        // Classic detection on the broad phase's candidates; those whose alerting boxes
        // overlap are the alert step's candidates.
        var conflicts: [Conflict] = []
        var candidates: [(Int32, Int32)]? = nil
        let detectionBoxes = detector.map { d in alerting == nil ? broad.boxes : SweptBoxes(picture, reach: .detection(d.parameters)) }
        let partyOf = parties
        let crossParty: (@Sendable (Int, Int) -> Bool)? = names == nil ? nil : { @Sendable i, j in partyOf[i] != partyOf[j] }
        if let d = detector {
            var collect: (@Sendable (Int, Int) -> Bool)? = nil
            if let a = alerting {
                let boxes = SweptBoxes(picture, reach: .alerting(a.alerter))
                collect = { @Sendable i, j in boxes.overlap(i, j) }
            }
            let found = d.detect(picture, broadPhase: broad, test: crossParty, collect: collect)
            conflicts = found.conflicts
            if collect != nil { candidates = found.collected }
        }
        var alerts: [CycleAlert] = []
        if alerting != nil {
            if candidates == nil {
                var c: [(Int32, Int32)] = []
                broad.forEachPair { i, j in
                    if crossParty?(i, j) ?? true { c.append((Int32(truncatingIfNeeded: i), Int32(truncatingIfNeeded: j))) }
                }
                candidates = c
            }
            let alerter = alerting!.alerter
            let stepped = alerting!.step(states: states, parties: names == nil ? nil : parties.map(Int.init), time: time,
                                         candidates: candidates)
            alerts = stepped.map { a in
                CycleAlert(first: a.first, second: a.second,
                           sample: AlertSample(level: a.level, rawLevel: a.rawLevel, relative: a.relative,
                                               timeToViolation: alerter.timeToViolation(level: a.level, a.relative)))
            }
        }
        let snap = CycleSnapshot(time: time, states: states, index: index, parties: parties, partyIndex: partyIndex,
                                 broadPhase: broad, detectionBoxes: detectionBoxes)
        return CycleOutcome(snapshot: snap, picture: picture, conflicts: conflicts, alerts: alerts)
    }

    /// Assesses one pair between cycles (a fresh report against a neighbour), with the same
    /// per-pair filter the cycles use; both states at `time`.
    public mutating func assess(_ x: AircraftState, _ y: AircraftState, time: Double) -> AlertSample? {
        guard let alerter = alerting?.alerter, let a = alerting!.assess(x, y, time: time) else { return nil }
        return AlertSample(level: a.level, rawLevel: a.rawLevel, relative: a.relative,
                           timeToViolation: a.level > 0 ? alerter.timeToViolation(level: a.level, a.relative) : nil)
    }
}
