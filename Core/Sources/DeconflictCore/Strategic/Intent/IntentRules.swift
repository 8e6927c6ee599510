/// The intent rules as pure functions (DOMAIN.md §4, docs/strategic.md "Rules").
///
/// The store loads the current version of the intent (if any) and the candidate intents of
/// others (any superset of those sharing a covering cell with the proposal: the rules filter
/// them), calls ``evaluate(_:writer:current:others:policy:)``, and applies the decision.
public enum IntentRules {

    /// Evaluates a write by `writer` (the authenticated party).
    /// - Parameters:
    ///   - current: the stored intent with the write's id, if any.
    ///   - others: candidate intents (any superset of the relevant ones; the intent itself,
    ///     the writer's own intents and Ended intents are ignored).
    public static func evaluate(_ write: IntentWrite, writer: String, current: Intent?,
                                others: [Intent], policy: IntentPolicy = .default) -> IntentDecision {
        switch write {
        case let .delete(id, ovn):
            guard let cur = current else { return .refused(.notFound(id: id)) }
            guard cur.owner == writer else { return .refused(.notOwner(id: id, owner: cur.owner, writer: writer)) }
            guard cur.ovn == ovn else { return .refused(.ovnMismatch(id: id, presented: ovn, current: cur.ovn)) }
            return .accepted(version: cur.version, conflicts: [])

        case let .create(p, key):
            if let r = validate(p) { return .refused(r) }
            if current != nil { return .refused(.alreadyExists(id: p.id)) }
            guard isTransitionAllowed(from: nil, to: p.state) else {
                return .refused(.invalidTransition(from: nil, to: p.state))
            }
            return checkConflicts(p, writer: writer, previous: nil, key: key, others: others, policy: policy, version: 1)

        case let .update(p, ovn, key):
            if let r = validate(p) { return .refused(r) }
            guard let cur = current else { return .refused(.notFound(id: p.id)) }
            guard cur.owner == writer else { return .refused(.notOwner(id: p.id, owner: cur.owner, writer: writer)) }
            guard cur.ovn == ovn else { return .refused(.ovnMismatch(id: p.id, presented: ovn, current: cur.ovn)) }
            guard isTransitionAllowed(from: cur.state, to: p.state) else {
                return .refused(.invalidTransition(from: cur.state, to: p.state))
            }
            return checkConflicts(p, writer: writer, previous: cur, key: key, others: others, policy: policy,
                                  version: cur.version + 1)
        }
    }

    /// Allowed state changes (`from == nil`: creation).
    /// - create: Accepted or Activated
    /// - Accepted → Accepted, Activated, Nonconforming, Ended
    /// - Activated → Activated, Nonconforming, Contingent, Ended
    /// - Nonconforming → Nonconforming, Activated, Contingent, Ended
    /// - Contingent → Contingent, Ended
    /// - Ended → nothing (an Ended intent can only be deleted)
    public static func isTransitionAllowed(from: IntentState?, to: IntentState) -> Bool {
        switch from {
        case nil: return to == .accepted || to == .activated
        case .accepted?: return to != .contingent
        case .activated?: return to != .accepted
        case .nonconforming?: return to != .accepted
        case .contingent?: return to == .contingent || to == .ended
        case .ended?: return false
        }
    }

    /// The intents of others relevant to `volumes` (their OVNs must be in the key): current
    /// intents of another owner with a volume that intersects one of `volumes` exactly in 4D
    /// (outline interiors, altitude band and time window all overlap). Sorted by id.
    ///
    /// Exact, not cell-based: the DSS asks for the OVNs of everything sharing an S2 cell
    /// because it does not compute intersections; we do, so the key names exactly what the
    /// write would conflict with — what the writer must have seen.
    public static func requiredKeys(volumes: [Volume4D], writer: String, excludingID: String? = nil,
                                    others: [Intent]) -> [MissingKey] {
        keys(of: conflicts(volumes: volumes, writer: writer, excludingID: excludingID, others: others), others: others)
    }

    /// Conflicts of `volumes` with current intents of other owners: every overlapping volume
    /// pair with its common time window and altitude band. Sorted by the other intent's id.
    public static func conflicts(volumes: [Volume4D], writer: String, excludingID: String? = nil,
                                 others: [Intent]) -> [IntentConflict] {
        var out: [IntentConflict] = []
        // Each id once (the first occurrence counts). Candidate lists are short: a linear
        // look-back is cheaper than hashing every id; long lists use a set.
        var seen = others.count > 32 ? Set<String>() : nil
        for (k, o) in others.enumerated() where o.owner != writer && o.state.isCurrent && o.id != excludingID {
            if seen != nil {
                guard seen!.insert(o.id).inserted else { continue }
            } else if others[..<k].contains(where: { $0.id == o.id && $0.owner != writer && $0.state.isCurrent }) {
                continue
            }
            var pairs: [VolumePairOverlap] = []
            for (i, n) in volumes.enumerated() {
                for (j, w) in o.volumes.enumerated() {
                    if let ov = n.overlap(with: w) { pairs.append(VolumePairOverlap(volumeIndex: i, otherVolumeIndex: j, overlap: ov)) }
                }
            }
            if !pairs.isEmpty {
                out.append(IntentConflict(otherID: o.id, otherOwner: o.owner, otherPriority: o.priority,
                                          otherState: o.state, pairs: pairs))
            }
        }
        return out.sorted { $0.otherID < $1.otherID }
    }

    /// "No new overlap" with `other`: every overlapping pair (n, w) of the new volumes with the
    /// other intent's volumes is covered by one old volume v — the part of n during w's time
    /// window and within w's altitude band lies inside v (time window, altitude band and
    /// outline all contained). Then the new overlap with `other` is a subset of the old one.
    /// (A sufficient condition: a reshaped outline that only partly leaves the overlap is
    /// not recognized as a reduction.)
    public static func isNotEnlarged(new: [Volume4D], old: [Volume4D], other: Intent) -> Bool {
        for n in new {
            for w in other.volumes {
                guard let t = n.timeOverlap(w), let a = n.volume.altitudeOverlap(w.volume),
                      n.volume.horizontallyIntersects(w.volume) else { continue }
                let clipped = Volume3D(outline: n.volume.outline, altitudeLower: a.lower, altitudeUpper: a.upper)
                let covered = old.contains { v in
                    v.timeStart <= t.start && t.end <= v.timeEnd && v.volume.contains(clipped)
                }
                if !covered { return false }
            }
        }
        return true
    }

    // MARK: private

    static func validate(_ p: IntentProposal) -> IntentRefusal? {
        if p.id.isEmpty || p.id.utf8.count > IntentLimits.maxIDLength { return .badIdentifier(p.id) }
        if p.volumes.isEmpty || p.volumes.count > IntentLimits.maxVolumes { return .badVolumeCount(p.volumes.count) }
        for (i, v) in p.volumes.enumerated() {
            do { try v.validate() } catch { return .invalidVolume(index: i, error) }
        }
        return nil
    }

    /// The key entries of the intents in `conflicts` (already one per intent, sorted by id).
    static func keys(of conflicts: [IntentConflict], others: [Intent]) -> [MissingKey] {
        keys(of: conflicts, find: finder(others))
    }

    static func keys(of conflicts: [IntentConflict], find: (String) -> Intent?) -> [MissingKey] {
        conflicts.map { MissingKey(intentID: $0.otherID, owner: $0.otherOwner, ovn: find($0.otherID)?.ovn ?? "") }
    }

    /// The first intent with a given id in `others`: a linear search for short candidate
    /// lists (the common case, cheaper than building a dictionary), a dictionary for long ones.
    static func finder(_ others: [Intent]) -> (String) -> Intent? {
        if others.count <= 32 { return { id in others.first { $0.id == id } } }
        let byID = Dictionary(others.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return { byID[$0] }
    }

    static func checkConflicts(_ p: IntentProposal, writer: String, previous: Intent?, key: Set<String>,
                               others: [Intent], policy: IntentPolicy, version: Int) -> IntentDecision {
        let newConflicts = conflicts(volumes: p.volumes, writer: writer, excludingID: p.id, others: others)
        // Off-nominal and Ended states report reality: no key, priority or reduction checks.
        guard p.state.isNominal else { return .accepted(version: version, conflicts: newConflicts) }

        let find = finder(others)
        let missing = keys(of: newConflicts, find: find).filter { !key.contains($0.ovn) }
        if !missing.isEmpty { return .refused(.missingKeys(missing)) }

        func enlarged(_ c: IntentConflict) -> Bool {
            guard let prev = previous, let o = find(c.otherID) else { return true }
            return !isNotEnlarged(new: p.volumes, old: prev.volumes, other: o)
        }

        // Activated and already in conflict: may only reduce (any priority).
        if let prev = previous, prev.state == .activated {
            let oldConflicts = conflicts(volumes: prev.volumes, writer: writer, excludingID: p.id, others: others)
            if !oldConflicts.isEmpty {
                let bad = newConflicts.filter(enlarged)
                if !bad.isEmpty { return .refused(.conflictNotReduced(bad)) }
            }
        }
        // Priority: a lower priority may not create (or enlarge) a conflict with a higher one.
        let higher = newConflicts.filter { $0.otherPriority > p.priority && enlarged($0) }
        if !higher.isEmpty { return .refused(.priorityViolation(higher)) }
        if !policy.allowEqualPriorityConflicts {
            let equal = newConflicts.filter { $0.otherPriority == p.priority && enlarged($0) }
            if !equal.isEmpty { return .refused(.equalPriorityConflict(equal)) }
        }
        return .accepted(version: version, conflicts: newConflicts)
    }
}
