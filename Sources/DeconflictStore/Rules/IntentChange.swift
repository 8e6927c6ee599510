import DeconflictCore

/// What an accepted write changes in the store: the one value ``StoreRules/decide`` computes
/// from the core's decision, and every backend only applies (an SQL insert, update or delete).
/// The stored intent carries its new OVN and version; `previous` is the version it replaces,
/// as the rules saw it.
enum IntentChange: Sendable, Hashable {
    /// A new intent (version 1, a new OVN, owned by the writer).
    case insert(Intent)
    /// `previous` replaced by the stored intent (same id and owner, version + 1, a new OVN).
    case update(Intent, previous: Intent)
    /// `previous` removed.
    case delete(previous: Intent)

    /// The id of the intent changed.
    var id: String {
        switch self {
        case let .insert(i), let .update(i, _): return i.id
        case let .delete(p): return p.id
        }
    }

    /// The intent stored after the change; nil for a delete.
    var stored: Intent? {
        switch self {
        case let .insert(i), let .update(i, _): return i
        case .delete: return nil
        }
    }

    /// The version replaced or removed; nil for an insert.
    var previous: Intent? {
        switch self {
        case .insert: return nil
        case let .update(_, p), let .delete(p): return p
        }
    }
}

/// The store's decision on one write: refused (nothing changes), or accepted with the change to
/// apply and the conflicts the rules allowed it to keep. ``result`` is what the caller is answered.
enum StoreDecision: Sendable, Hashable {
    case refused(IntentRefusal)
    case accepted(IntentChange, conflicts: [IntentConflict])

    /// The change to apply; nil if refused.
    var change: IntentChange? {
        if case let .accepted(c, _) = self { return c } else { return nil }
    }

    /// The answer to the writer, once the change (if any) is applied.
    var result: WriteResult {
        switch self {
        case let .refused(r): return .refused(r)
        case let .accepted(.insert(i), conflicts), let .accepted(.update(i, _), conflicts):
            return .accepted(i, conflicts: conflicts)
        case let .accepted(.delete(p), _): return .deleted(id: p.id)
        }
    }
}
