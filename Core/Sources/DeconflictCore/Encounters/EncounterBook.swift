/// The live picture's encounters, as a pure state machine: an observation of a pair (from a
/// fresh report or a cycle) or a whole cycle in, changes out. Time is an argument, never read.
///
/// An encounter opens when a cross-party pair is a classic conflict or holds a DO-365 level,
/// reports a change when its level changes, and is resolved by the first cycle that sees
/// neither — unless an observation after that cycle copied its picture updated it (the
/// report-vs-cycle race: the cycle could not see that report).
public struct EncounterBook: Sendable {
    public private(set) var encounters: [EncounterKey: Encounter] = [:]
    /// Changes so far: an encounter's `generation` says when it last changed.
    public private(set) var generation: UInt64 = 0

    public init() {}

    public var count: Int { encounters.count }

    public subscript(_ key: EncounterKey) -> Encounter? { encounters[key] }

    /// One observation of the pair (x, y): `classic` its classic conflict (nil: none), `alert`
    /// its DO-365 side. Opens the pair when either holds; updates an open pair (a drop to
    /// level 0 while still a conflict is an update; resolving is the cycle's job). Returns the
    /// change when the pair opened or its level changed.
    public mutating func observe(_ x: EncounterSide, _ y: EncounterSide, classic g: PairGeometry?,
                                 alert: AlertObservation, trigger: EncounterTrigger) -> EncounterChange? {
        let key = EncounterKey(x.id, y.id)
        let existing = encounters[key]
        let level: Int, ttv: Double?, sample: AlertSample?
        switch alert {
        case .notAssessed:
            level = existing?.level ?? 0; ttv = existing?.timeToViolation; sample = nil
        case .assessed(let s):
            level = s?.level ?? 0; ttv = level > 0 ? s?.timeToViolation : nil; sample = s
        }
        guard existing != nil || g != nil || level > 0 else { return nil }
        let reportTime = max(x.reportTime, y.reportTime)
        let geometry = g ?? sample.map { Encounter.geometry(of: $0.relative, timeToViolation: ttv ?? .infinity) }
            ?? existing!.geometry
        generation += 1
        if var e = existing {
            let previous = e.level
            e.geometry = geometry; e.level = level; e.reportTime = reportTime; e.timeToViolation = ttv
            e.generation = generation
            encounters[key] = e
            return previous != level ? EncounterChange(kind: .levelChanged, encounter: e, previousLevel: previous, trigger: trigger) : nil
        }
        let (sa, sb) = key.a == x.id ? (x, y) : (y, x)
        let e = Encounter(a: key.a, b: key.b, partyA: sa.party, partyB: sb.party, level: level, geometry: geometry,
                          since: reportTime, reportTime: reportTime, timeToViolation: ttv, generation: generation)
        encounters[key] = e
        return EncounterChange(kind: .opened, encounter: e, previousLevel: 0, trigger: trigger)
    }

    /// Applies a cycle: every pair it found is observed; every open encounter it did not see is
    /// resolved, unless it changed after `copiedAt` (the book's ``generation`` when the cycle
    /// copied its picture). `side(i)`: the cycle's aircraft i. Changes in pair order.
    public mutating func apply(_ cycle: CycleOutcome, copiedAt: UInt64, side: (Int) -> EncounterSide) -> [EncounterChange] {
        let states = cycle.snapshot.states
        var found: [EncounterKey: (i: Int, j: Int, classic: PairGeometry?, alert: AlertSample?)] = [:]
        for c in cycle.conflicts {
            found[EncounterKey(states[c.a].id, states[c.b].id)] = (c.a, c.b, c.geometry, nil)
        }
        for a in cycle.alerts {
            let key = EncounterKey(states[a.first].id, states[a.second].id)
            found[key, default: (a.first, a.second, nil, nil)].alert = a.sample
        }
        var changes: [EncounterChange] = []
        for key in found.keys.sorted() {
            let f = found[key]!
            if let ch = observe(side(f.i), side(f.j), classic: f.classic, alert: .assessed(f.alert), trigger: .cycle) {
                changes.append(ch)
            }
        }
        for key in encounters.keys.sorted() where found[key] == nil {
            let e = encounters[key]!
            guard e.generation <= copiedAt else { continue }
            encounters[key] = nil
            var cleared = e; cleared.level = 0; cleared.timeToViolation = nil
            changes.append(EncounterChange(kind: .resolved, encounter: cleared, previousLevel: e.level, trigger: .cycle))
        }
        return changes
    }

    /// The open encounters that involve `party`.
    public func encounters(involving party: String) -> [Encounter] {
        encounters.values.filter { $0.partyA == party || $0.partyB == party }
    }
}

/// An aircraft as the live picture holds it: its newest reported state and its party.
public struct LiveAircraft: Sendable {
    public var state: AircraftState
    public var party: String
    public init(state: AircraftState, party: String) { self.state = state; self.party = party }
    public var side: EncounterSide { EncounterSide(id: state.id, party: party, reportTime: state.time) }
}

extension EncounterBook {
    /// A fresh report that agrees with the cycle's prediction for its aircraft (its last state
    /// projected to the report's time) within these tolerances changes no pair result by more
    /// than they do, so it is not re-checked at once (the next cycle sees it). Anything else —
    /// a new aircraft, a manoeuvre, a jump — is checked against its neighbours at once.
    public static let agreeHorizontal = 0.05 * 1_852.0   // m
    public static let agreeVertical = 50 * 0.3048         // m
    public static let agreeSpeed = 2 * 1_852.0 / 3_600    // m/s, each velocity component
    public static let agreeVerticalSpeed = 100 * 0.3048 / 60  // m/s

    public static func agrees(_ predicted: AircraftState, _ s: AircraftState) -> Bool {
        let dLat = Units.rad(s.lat - predicted.lat) * Units.earthRadius
        let dLon = Units.rad(Units.wrap180(s.lon - predicted.lon)) * Units.earthRadius * cos(Units.rad(s.lat))
        guard dLat * dLat + dLon * dLon <= agreeHorizontal * agreeHorizontal,
              abs(s.alt - predicted.alt) <= agreeVertical,
              abs(s.vs - predicted.vs) <= agreeVerticalSpeed else { return false }
        let (a, b) = (s.velocityEN, predicted.velocityEN)
        return abs(a.east - b.east) <= agreeSpeed && abs(a.north - b.north) <= agreeSpeed
    }

    /// Checks a fresh report of `me` at once against its neighbours in the last cycle's
    /// snapshot — the neighbours of where it is NOW (its new state's box at the cycle's time),
    /// each neighbour's newest state (`current`) projected to the report's time — unless it
    /// agrees with the cycle's prediction (returns nil: skipped). The classic test projects the
    /// neighbour to the report's time; `assess` gives the DO-365 side (for pairs in classic
    /// conflict or already open), with both states projected to `now`, as the cycle does.
    /// `mark`: scratch of the snapshot's size; `tag`: unused in it since it was last cleared.
    public mutating func checkReport(_ me: LiveAircraft, snapshot snap: CycleSnapshot, now: Double,
                                     detection p: DetectionParameters, current: (String) -> LiveAircraft?,
                                     assess: (_ me: AircraftState, _ other: AircraftState) -> AlertObservation,
                                     mark: inout [Int32], tag: Int32) -> [EncounterChange]? {
        let slot = snap.index[me.state.id]
        if let i = slot, Self.agrees(snap.states[i].projected(by: me.state.time - snap.states[i].time), me.state) {
            return nil
        }
        var changes: [EncounterChange] = []
        let meNow = me.state.projected(by: max(0, now - me.state.time))
        let myParty = snap.partyIndex[me.party] ?? -1
        let atCycle = me.state.projected(by: snap.time - me.state.time)
        // The neighbours classic detection can flag (the cycle's grid covers alerting too).
        let classic = snap.detectionBoxes
        let myBox = classic?.box(of: atCycle)
        func check(_ j: Int) {
            if let classic, let myBox, !SweptBoxes.overlap(myBox, classic.box(j)) { return }
            guard j != slot, snap.parties[j] != myParty, let other = current(snap.states[j].id), other.party != me.party
            else { return }
            let o = other.state.projected(by: me.state.time - other.state.time)
            let g = StateBased.evaluate(me.state, o, parameters: p)
            guard g != nil || encounters[EncounterKey(me.state.id, other.state.id)] != nil else { return }
            let alert = assess(meNow, other.state.projected(by: max(0, now - other.state.time)))
            if let ch = observe(me.side, other.side, classic: g, alert: alert, trigger: .report) { changes.append(ch) }
        }
        if !snap.broadPhase.forEachNeighbour(of: atCycle, mark: &mark, tag: tag, check) {
            for j in snap.states.indices { check(j) }   // faster than anything in the picture
        }
        return changes
    }
}
