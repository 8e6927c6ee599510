/// An unordered pair of aircraft ids (`a < b`).
public struct EncounterKey: Hashable, Sendable, Comparable {
    public let a: String, b: String
    public init(_ x: String, _ y: String) { (a, b) = x < y ? (x, y) : (y, x) }
    public static func < (l: EncounterKey, r: EncounterKey) -> Bool { (l.a, l.b) < (r.a, r.b) }
}

/// One side of an encounter: the aircraft, its party, and the time of the report its state
/// comes from (a cycle's state is that report projected to the cycle's time).
public struct EncounterSide: Sendable, Hashable {
    public var id: String
    public var party: String
    public var reportTime: Double
    public init(id: String, party: String, reportTime: Double) {
        self.id = id; self.party = party; self.reportTime = reportTime
    }
}

/// Two aircraft of different parties that are in classic conflict or hold a DO-365 alert
/// level: both aircraft, their parties, the predicted geometry, the level, and since when.
public struct Encounter: Sendable, Equatable {
    /// The aircraft ids, `a < b`, and their parties.
    public let a: String, b: String
    public let partyA: String, partyB: String
    /// DO-365 level (0: a classic conflict with no level yet).
    public var level: Int
    public var geometry: PairGeometry
    /// Report time when the encounter opened.
    public let since: Double
    /// Report time of the newer of the two states the last assessment used.
    public var reportTime: Double
    /// Seconds to the violation of the current level's volume at the last assessment (nil at
    /// level 0).
    public var timeToViolation: Double?
    /// The book's change count when this encounter last changed.
    public var generation: UInt64

    public var key: EncounterKey { EncounterKey(a, b) }

    /// The encounter from each side: the aircraft, its party, and the other aircraft and its
    /// party (each party is told of it from its own side).
    public var sides: [(own: String, party: String, other: String, otherParty: String)] {
        [(a, partyA, b, partyB), (b, partyB, a, partyA)]
    }

    /// Geometry for a pair that holds a DO-365 level but is not a classic conflict.
    public static func geometry(of r: RelativeState, timeToViolation t: Double) -> PairGeometry {
        let tcpa = max(0, r.tcpa)
        return PairGeometry(tcpa: tcpa, dcpa: r.horizontalDistance(at: tcpa), tin: t, tout: t, los: false,
                            distance: r.horizontalDistance, verticalSeparation: abs(r.sz))
    }
}

/// What made a change: a fresh report checked at once, or the periodic full cycle.
public enum EncounterTrigger: String, Sendable {
    case report, cycle
}

/// A change of the book: an encounter opened, its level changed, or it was resolved.
public struct EncounterChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The state names of the stream's `conflict` events.
        case opened = "new", levelChanged = "update", resolved
    }
    public var kind: Kind
    /// The encounter after the change (resolved: level 0, no time to violation).
    public var encounter: Encounter
    public var previousLevel: Int
    public var trigger: EncounterTrigger

    /// Whether the alert level changed (an `alert` event is due besides the `conflict` one).
    public var levelChanged: Bool { encounter.level != previousLevel }
}

/// A DO-365 assessment of one pair at one instant: the filtered level, the raw level, the
/// relative state it was computed from, and the time to the level's volume (nil at level 0).
public struct AlertSample: Sendable, Equatable {
    public var level: Int
    public var rawLevel: Int
    public var relative: RelativeState
    public var timeToViolation: Double?
    public init(level: Int, rawLevel: Int, relative: RelativeState, timeToViolation: Double?) {
        self.level = level; self.rawLevel = rawLevel; self.relative = relative; self.timeToViolation = timeToViolation
    }
}

/// The DO-365 side of an observation of a pair.
public enum AlertObservation: Sendable, Equatable {
    /// Assessed: the sample, or nil when the pair raises nothing and holds no filter state.
    case assessed(AlertSample?)
    /// Not assessed this time (the alerting step was busy): the pair keeps its level.
    case notAssessed
}
