import DeconflictCore

/// The store's single entry to the core's pure rules: every write path of both backends calls
/// ``decide(_:writer:current:candidates:newBoxes:)`` with the current intent and the candidate
/// intents it found, inside its atomic section, and applies the ``IntentChange`` it returns.
enum StoreRules {
    /// Decides `write` by `writer` and, if accepted, computes the change to apply: the stored
    /// intent with a new OVN and its new version (owned by the writer for a create, by the
    /// current owner — whom the rules checked is the writer — for an update), and the version
    /// it replaces or removes.
    /// - Parameters:
    ///   - current: the stored intent with the write's id, if any.
    ///   - candidates: others' intents the rules must see (a superset: see docs/store.md).
    ///   - newBoxes: ``newBoxes(_:)`` of `write` (the caller has it for its candidate probe).
    ///     A create or update whose volumes have no valid index boxes is refused even if the
    ///     rules accepted it: it could not be indexed.
    static func decide(_ write: IntentWrite, writer: String, current: Intent?, candidates: [Intent],
                       newBoxes: [Box4]?) -> StoreDecision {
        let decision = IntentRules.evaluate(write, writer: writer, current: current, others: candidates, policy: .default)
        switch decision {
        case let .refused(r):
            return .refused(r)
        case let .accepted(version, conflicts):
            switch write {
            case let .create(p, _):
                guard newBoxes != nil else { return .refused(unindexable) }
                return .accepted(.insert(stored(p, writer: writer, version: version)), conflicts: conflicts)
            case let .update(p, _, _):
                guard let cur = current else { return .refused(.notFound(id: p.id)) }
                guard newBoxes != nil else { return .refused(unindexable) }
                return .accepted(.update(stored(p, writer: cur.owner, version: version), previous: cur),
                                 conflicts: conflicts)
            case let .delete(id, _):
                guard let cur = current else { return .refused(.notFound(id: id)) }
                return .accepted(.delete(previous: cur), conflicts: conflicts)
            }
        }
    }

    /// The refusal of accepted volumes without valid index boxes.
    static let unindexable = IntentRefusal.invalidVolume(index: 0, .nonFinite(field: "bounds"))

    /// The index boxes of the volumes a create or update proposes; nil for a delete, and for
    /// volumes without valid bounds (the rules refuse those).
    static func newBoxes(_ write: IntentWrite) -> [Box4]? {
        switch write {
        case let .create(p, _), let .update(p, _, _): return VolumeBounds.boxes(p.volumes)
        case .delete: return nil
        }
    }

    /// Exact 4D intersection of two volume sets (any pair), by the core's geometry.
    static func intersects(_ a: [Volume4D], _ b: [Volume4D]) -> Bool {
        a.contains { x in b.contains { y in x.intersects(y) } }
    }

    /// The intent stored after an accepted create/update.
    private static func stored(_ p: IntentProposal, writer: String, version: Int) -> Intent {
        Intent(id: p.id, owner: writer, ovn: OVNGenerator.make(), version: version,
               state: p.state, priority: p.priority, volumes: p.volumes)
    }
}
