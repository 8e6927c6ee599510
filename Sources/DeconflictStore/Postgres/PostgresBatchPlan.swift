import DeconflictCore

/// Intents by id with their index boxes (one per volume, as stored in intent_cells), and the
/// ids known NOT to exist: what a batch is decided on.
struct PostgresRowSet {
    var rows: [String: Intent] = [:]
    var boxes: [String: [Box4]] = [:]
    var absent = Set<String>()

    init(rows: [Intent] = [], absentIDs: [String] = []) {
        for r in rows where self.rows[r.id] == nil { set(r) }
        for id in absentIDs where self.rows[id] == nil { absent.insert(id) }
    }

    mutating func set(_ i: Intent) {
        rows[i.id] = i
        boxes[i.id] = i.volumes.map(VolumeBounds.box)
        absent.remove(i.id)
    }

    mutating func remove(_ id: String) {
        rows[id] = nil
        boxes[id] = nil
        absent.insert(id)
    }

    /// The rows after `change`.
    mutating func apply(_ change: IntentChange) {
        if let stored = change.stored { set(stored) } else { remove(change.id) }
    }

    /// Whether the set says for `id` either its row or that it does not exist.
    func knows(_ id: String) -> Bool { rows[id] != nil || absent.contains(id) }

    /// The rows with an index box overlapping one of `area`'s boxes.
    func overlapping(_ area: [Box4]) -> [Intent] {
        rows.values.filter { r in (boxes[r.id] ?? []).contains { b in area.contains { b.overlaps($0) } } }
    }
}

/// A batch of PostgreSQL writes decided together (group commit, see ``PostgresIntentStore``):
/// what each write is answered, and what `deconflict_apply_batch` must check and write. Pure.
///
/// The writes are decided one after another, in order, each by the core's rules against the
/// known rows as changed by the accepted writes before it (so the serial order is the batch
/// order). A write's candidates are the rows whose volume boxes overlap its probe boxes: its
/// new boxes, and — if it updates an Activated intent (whose rules also look at the conflicts
/// of its OLD volumes) — the current volumes' boxes too; the probe must contain them (else
/// ``decide(_:known:probe:)`` answers the boxes to add).
///
/// What the decisions relied on (``expectedIDs`` / ``expectedOVNs``): the state of every
/// written id ('' = absent) and every known row overlapping the union of the probe — a
/// superset of what the candidate query over the probe finds (its query boxes lie inside that
/// union). The apply checks under the locks that each still has that OVN and that the
/// candidate query finds nothing else: then every decision saw exactly the current rows of
/// its probe.
struct PostgresBatchPlan {
    /// One answer per write, in order.
    var results: [WriteResult] = []
    /// The ids of the accepted writes, in order (test hook).
    var acceptedIDs: [String] = []
    /// The writes' probe boxes (the apply runs the candidate query over them under the locks).
    var probeBoxes: [Box4] = []
    /// Every probed box and the current boxes of the intents the batch writes to.
    var lockKeys = LockKeys(shared: [], exclusive: [])
    var expectedIDs: [String] = [], expectedOVNs: [String] = []
    /// Net effect: intents deleted, intents whose index rows are replaced or dropped, rows
    /// written (new = insert, else update).
    var deletes: [String] = [], dropCells: [String] = []
    var rows: [(intent: Intent, isNew: Bool)] = []

    /// Whether the batch writes anything.
    var hasChanges: Bool { !deletes.isEmpty || !rows.isEmpty }

    enum Outcome {
        case plan(PostgresBatchPlan)
        /// The probe must also contain these boxes (old volumes of Activated intents).
        case probeMore([Box4])
    }

    /// The ids written to, first occurrence order.
    static func selfIDs(_ writes: [(IntentWrite, String)]) -> [String] {
        var ids: [String] = [], seen = Set<String>()
        for (w, _) in writes where seen.insert(w.intentID).inserted { ids.append(w.intentID) }
        return ids
    }

    /// The probe: every write's new boxes, plus the current boxes of the Activated intents that
    /// updates change (as far as `known` has them).
    static func probe(_ writes: [(IntentWrite, String)], known: PostgresRowSet) -> [Box4] {
        var p: [Box4] = []
        for (w, _) in writes {
            p += StoreRules.newBoxes(w) ?? []
            if case .update = w, known.rows[w.intentID]?.state == .activated { p += known.boxes[w.intentID] ?? [] }
        }
        return p
    }

    /// Decides `writes` in order on `known`, which must know every written id and hold every
    /// row the candidate query over `probe` would find (the cache: every row overlapping the
    /// covered area, which contains the probe's union; a read: what it found over `probe`).
    static func decide(_ writes: [(IntentWrite, String)], known: PostgresRowSet, probe: [Box4]) -> Outcome {
        var view = known
        let probed = Set(probe)
        var plan = PostgresBatchPlan()
        var missing: [Box4] = []
        var touched: [String] = []
        for (w, writer) in writes {
            let id = w.intentID
            let current = view.rows[id]
            let new = StoreRules.newBoxes(w)
            var wp = new ?? []
            if case .update = w, current?.state == .activated {
                let old = view.boxes[id] ?? []
                missing += old.filter { !probed.contains($0) }
                wp += old
            }
            var candidates = view.overlapping(wp)
            candidates.removeAll { $0.id == id }
            let decision = StoreRules.decide(w, writer: writer, current: current, candidates: candidates, newBoxes: new)
            plan.results.append(decision.result)
            guard let change = decision.change else { continue }
            view.apply(change)
            plan.acceptedIDs.append(id)
            if !touched.contains(id) { touched.append(id) }
        }
        if !missing.isEmpty { return .probeMore(missing) }

        plan.probeBoxes = probe
        let ids = selfIDs(writes)
        var expected: [String: String] = [:]
        for id in ids { expected[id] = known.rows[id]?.ovn ?? "" }
        // The candidate query's boxes (one per probed cell: the union of the probe's boxes
        // touching it) lie inside the union of the probe.
        if let area = Box4.enclosing(probe) {
            for r in known.overlapping([area]) { expected[r.id] = r.ovn }
        }
        let sorted = expected.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        plan.expectedIDs = sorted.map(\.key)
        plan.expectedOVNs = sorted.map(\.value)
        var lockBoxes = probe
        for id in ids { lockBoxes += known.boxes[id] ?? [] }
        // Coarse cells (0.1°): a batch's boxes share few of them (its fine cells were ~12 per
        // 2 km circle, ~10 % of the apply's server time to lock).
        plan.lockKeys = LockKeys.forBoxes(lockBoxes, fine: false)
        for id in touched {
            switch (known.rows[id] != nil, view.rows[id]) {
            case (true, nil): plan.deletes.append(id); plan.dropCells.append(id)
            case let (true, row?): plan.rows.append((row, false)); plan.dropCells.append(id)
            case let (false, row?): plan.rows.append((row, true))
            case (false, nil): break
            }
        }
        return .plan(plan)
    }
}
