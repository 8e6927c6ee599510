/// The operational intent model and its rule inputs/outputs (DOMAIN.md §4).
/// The rules themselves are pure functions in ``IntentRules``; the store applies their decisions.

/// Lifecycle state of an intent (ASTM F3548): Accepted → Activated → Ended, with the
/// off-nominal Nonconforming and Contingent.
public enum IntentState: String, Sendable, Hashable, CaseIterable, Codable {
    case accepted, activated, ended, nonconforming, contingent

    /// States whose volumes take part in conflict and key checks (everything but Ended).
    public var isCurrent: Bool { self != .ended }
    /// Nominal states: writes into these are checked for keys, priority and conflict reduction.
    public var isNominal: Bool { self == .accepted || self == .activated }
}

/// A stored intent of one party (its owner).
public struct Intent: Sendable, Hashable, Identifiable {
    public var id: String
    /// The party that owns it (the JWT `sub` of its writer); only the owner may change it.
    public var owner: String
    /// Opaque version number: new on every change (see ``OVN``).
    public var ovn: String
    /// 1 on creation, +1 on every update.
    public var version: Int
    public var state: IntentState
    /// Higher number = higher priority.
    public var priority: Int
    public var volumes: [Volume4D]

    public init(id: String, owner: String, ovn: String, version: Int = 1, state: IntentState,
                priority: Int = 0, volumes: [Volume4D]) {
        self.id = id; self.owner = owner; self.ovn = ovn; self.version = version
        self.state = state; self.priority = priority; self.volumes = volumes
    }
}

/// What a writer asks to store: a new intent or the new content of an existing one.
public struct IntentProposal: Sendable, Hashable {
    public var id: String
    public var state: IntentState
    public var priority: Int
    public var volumes: [Volume4D]
    public init(id: String, state: IntentState, priority: Int = 0, volumes: [Volume4D]) {
        self.id = id; self.state = state; self.priority = priority; self.volumes = volumes
    }
}

/// A write request on one intent. `writer` is the authenticated party.
public enum IntentWrite: Sendable, Hashable {
    /// Create `proposal` (no intent with that id may exist). `key`: the OVNs the writer has seen.
    case create(IntentProposal, key: Set<String>)
    /// Replace the intent `proposal.id`, whose current OVN the writer presents as `ovn`.
    case update(IntentProposal, ovn: String, key: Set<String>)
    /// Delete the intent `id`, whose current OVN the writer presents as `ovn`.
    case delete(id: String, ovn: String)

    public var intentID: String {
        switch self {
        case let .create(p, _), let .update(p, _, _): return p.id
        case let .delete(id, _): return id
        }
    }
}

/// An intent of another party whose OVN the writer had to present and did not.
public struct MissingKey: Sendable, Hashable, Comparable {
    public var intentID: String
    public var owner: String
    public var ovn: String
    public init(intentID: String, owner: String, ovn: String) {
        self.intentID = intentID; self.owner = owner; self.ovn = ovn
    }
    public static func < (a: MissingKey, b: MissingKey) -> Bool { a.intentID < b.intentID }
}

/// One overlapping volume pair of a conflict: `volumeIndex` in the subject intent,
/// `otherVolumeIndex` in the other one, and their common time window and altitude band.
public struct VolumePairOverlap: Sendable, Hashable {
    public var volumeIndex: Int
    public var otherVolumeIndex: Int
    public var overlap: VolumeOverlap
    public init(volumeIndex: Int, otherVolumeIndex: Int, overlap: VolumeOverlap) {
        self.volumeIndex = volumeIndex; self.otherVolumeIndex = otherVolumeIndex; self.overlap = overlap
    }
}

/// A conflict between a subject intent and another party's intent: every overlapping volume pair.
public struct IntentConflict: Sendable, Hashable {
    public var otherID: String
    public var otherOwner: String
    public var otherPriority: Int
    public var otherState: IntentState
    public var pairs: [VolumePairOverlap]
    public init(otherID: String, otherOwner: String, otherPriority: Int, otherState: IntentState,
                pairs: [VolumePairOverlap]) {
        self.otherID = otherID; self.otherOwner = otherOwner; self.otherPriority = otherPriority
        self.otherState = otherState; self.pairs = pairs
    }
}

/// Why a write is refused; ``httpStatus`` is the status the server should answer.
public enum IntentRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// A volume is invalid (400).
    case invalidVolume(index: Int, VolumeError)
    /// The proposal has no volumes or more than ``IntentLimits/maxVolumes`` (400).
    case badVolumeCount(Int)
    /// The id is empty or too long (400).
    case badIdentifier(String)
    /// Create on an existing id (409).
    case alreadyExists(id: String)
    /// Update/delete of an unknown id (404).
    case notFound(id: String)
    /// The writer is not the owner (403).
    case notOwner(id: String, owner: String, writer: String)
    /// The presented OVN is not the current one (409).
    case ovnMismatch(id: String, presented: String, current: String)
    /// The state change is not allowed (400).
    case invalidTransition(from: IntentState?, to: IntentState)
    /// The key lacks the OVNs of these current intents of others (409); sorted by id.
    case missingKeys([MissingKey])
    /// A lower-priority intent would create or enlarge a conflict with these higher-priority ones (409).
    case priorityViolation([IntentConflict])
    /// An Activated intent in conflict may only reduce it; these conflicts are new or enlarged (409).
    case conflictNotReduced([IntentConflict])
    /// Conflicts with an equal priority are refused by the policy (409).
    case equalPriorityConflict([IntentConflict])

    public var httpStatus: Int {
        switch self {
        case .invalidVolume, .badVolumeCount, .badIdentifier, .invalidTransition: return 400
        case .notOwner: return 403
        case .notFound: return 404
        case .alreadyExists, .ovnMismatch, .missingKeys, .priorityViolation, .conflictNotReduced,
             .equalPriorityConflict: return 409
        }
    }

    public var description: String {
        switch self {
        case let .invalidVolume(i, e): return "volume \(i): \(e)"
        case let .badVolumeCount(n): return "an intent needs 1...\(IntentLimits.maxVolumes) volumes, got \(n)"
        case let .badIdentifier(s): return "bad intent id '\(s.prefix(80))'"
        case let .alreadyExists(id): return "intent \(id) already exists"
        case let .notFound(id): return "intent \(id) not found"
        case let .notOwner(id, o, w): return "intent \(id) belongs to \(o), not \(w)"
        case let .ovnMismatch(id, p, c): return "intent \(id): OVN \(p) is not the current \(c)"
        case let .invalidTransition(f, t): return "transition \(f.map { $0.rawValue } ?? "(new)") → \(t.rawValue) not allowed"
        case let .missingKeys(k): return "key lacks the OVNs of: " + k.map { "\($0.intentID) (\($0.owner)) = \($0.ovn)" }.joined(separator: ", ")
        case let .priorityViolation(c): return "conflicts with higher-priority intents: " + c.map(\.otherID).joined(separator: ", ")
        case let .conflictNotReduced(c): return "activated intent in conflict may only reduce it; new or enlarged: " + c.map(\.otherID).joined(separator: ", ")
        case let .equalPriorityConflict(c): return "conflicts with equal-priority intents: " + c.map(\.otherID).joined(separator: ", ")
        }
    }
}

/// The outcome of the rules for a write.
public enum IntentDecision: Sendable, Hashable {
    /// Store it. `version` is the new version (0 for delete); `conflicts` lists the remaining
    /// conflicts of the new content with others' current intents (allowed ones: with lower or,
    /// by policy, equal priority; or pre-existing ones being reduced).
    case accepted(version: Int, conflicts: [IntentConflict])
    case refused(IntentRefusal)

    public var isAccepted: Bool { if case .accepted = self { return true } else { return false } }
    public var refusal: IntentRefusal? { if case let .refused(r) = self { return r } else { return nil } }
}

/// Policy knobs of the rules.
public struct IntentPolicy: Sendable, Hashable {
    /// Whether an intent may create a conflict with one of equal priority (DOMAIN.md forbids
    /// only lower-vs-higher; default: allowed, and listed in the decision).
    public var allowEqualPriorityConflicts: Bool
    public init(allowEqualPriorityConflicts: Bool = true) {
        self.allowEqualPriorityConflicts = allowEqualPriorityConflicts
    }
    public static let `default` = IntentPolicy()
}

public enum IntentLimits {
    /// Most volumes per intent.
    public static let maxVolumes = 100
    /// Longest intent id (bytes of UTF-8).
    public static let maxIDLength = 128
}
