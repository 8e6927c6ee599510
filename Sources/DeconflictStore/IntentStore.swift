import DeconflictCore

/// Where strategic intents live. Two implementations: ``SQLiteIntentStore`` (embedded default)
/// and ``PostgresIntentStore``; both pass the same test suite.
///
/// Every write (create/update/delete) is decided by the core's pure rules (``IntentRules``:
/// owner check, OVN check, key check, priority and activated-only-reduce) against the store's
/// current state, and the decision and the write happen ATOMICALLY: two racing writers cannot
/// both succeed on stale keys. How each backend guarantees it: docs/store.md.
public protocol IntentStore: Sendable {
    /// Decide `write` for the authenticated party `writer` and, if accepted, apply it.
    /// Refusals are results, not errors; errors mean the store itself failed.
    func write(_ write: IntentWrite, writer: String) async throws -> WriteResult

    /// The current intent with this id, if any.
    func get(id: String) async throws -> Intent?

    /// Intents with a volume whose bounding box overlaps `area` (conservative: a superset of
    /// the exact overlap; use ``conflicts(with:)`` for exact 4D intersection).
    func query(area: Box4) async throws -> [Intent]

    /// Current intents with at least one volume that intersects one of `volumes` exactly (4D).
    func conflicts(with volumes: [Volume4D]) async throws -> [Intent]

    /// Current (not Ended) intents of `owner` whose time window ends after `endingAfter`
    /// (epoch seconds), soonest-ending first (then by id), at most `limit` of them.
    /// For "my intents" views (the server's strategic conflicts); indexed on (owner, t_end).
    func intents(owner: String, endingAfter: Double, limit: Int) async throws -> [Intent]

    /// Number of stored intents.
    func count() async throws -> Int

    /// Stores already-decided intents without rule checks, in one transaction per chunk: for
    /// benchmarks' preload and imports only. Fails if an id exists.
    func bulkInsert(_ intents: [Intent]) async throws

    /// Releases connections. The store must not be used afterwards.
    func close() async throws
}

/// The outcome of a write.
public enum WriteResult: Sendable, Hashable {
    /// Created or updated: the stored intent (with its new OVN and version) and the conflicts
    /// the rules allowed it to keep.
    case accepted(Intent, conflicts: [IntentConflict])
    /// Deleted.
    case deleted(id: String)
    /// Refused by the rules; nothing was stored.
    case refused(IntentRefusal)

    public var intent: Intent? { if case let .accepted(i, _) = self { return i } else { return nil } }
    public var refusal: IntentRefusal? { if case let .refused(r) = self { return r } else { return nil } }
    public var isAccepted: Bool { if case .refused = self { return false } else { return true } }
}

extension IntentStore {
    /// Create (`ovn == nil`) or update (`ovn` = the intent's current OVN) with `key`.
    public func put(_ proposal: IntentProposal, key: Set<String>, ovn: String? = nil,
                    writer: String) async throws -> WriteResult {
        if let ovn { return try await write(.update(proposal, ovn: ovn, key: key), writer: writer) }
        return try await write(.create(proposal, key: key), writer: writer)
    }

    public func delete(id: String, ovn: String, writer: String) async throws -> WriteResult {
        try await write(.delete(id: id, ovn: ovn), writer: writer)
    }

    /// Changes only the state (e.g. Accepted → Activated): an update with the same volumes,
    /// so it goes through the same rules (key check included).
    public func setState(id: String, ovn: String, state: IntentState, key: Set<String>,
                         writer: String) async throws -> WriteResult {
        guard let cur = try await get(id: id) else { return .refused(.notFound(id: id)) }
        let p = IntentProposal(id: id, state: state, priority: cur.priority, volumes: cur.volumes)
        return try await write(.update(p, ovn: ovn, key: key), writer: writer)
    }

    /// The OVNs a writer must present to write `volumes`: those of the current intents of
    /// other parties that intersect them (what a client reads before writing).
    public func key(for volumes: [Volume4D], writer: String) async throws -> Set<String> {
        Set(try await conflicts(with: volumes).filter { $0.owner != writer && $0.state.isCurrent }.map(\.ovn))
    }
}
