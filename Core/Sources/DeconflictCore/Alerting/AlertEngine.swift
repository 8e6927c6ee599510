/// Fleet-scale alerting: steps a whole picture, assessing every pair of aircraft of different
/// parties that could raise a level, and keeps the filter state of each pair.
///
/// Alerting is symmetric under exchanging ownship and intruder (every test depends on |s|,
/// s·v, |v|, sz·vz, which do not change when the relative state is negated), so each
/// unordered pair is assessed once, in the tangent plane of its first aircraft, and holds one
/// filter; the result applies to both (ownship, intruder) orders.
public struct AlertEngine: Sendable {
    public let alerter: Alerter

    /// One pair whose filtered level is non-zero at this step. `first`/`second` index the
    /// step's `states`; the relative state is first − second in the first's tangent plane.
    public struct PairAlert: Sendable {
        public var first: Int
        public var second: Int
        public var level: Int
        public var rawLevel: Int
        public var relative: RelativeState
    }

    /// Counters of the last step.
    public struct StepStats: Sendable {
        public var aircraft = 0
        public var candidatePairs = 0
        public var raisedRaw = 0
        public var trackedPairs = 0
    }

    private var ids: [String: Int32] = [:]
    private var filters: [UInt64: AlertFilter] = [:]
    /// The last step's prepared aircraft (same order as its states).
    public private(set) var points: [TangentPlane.Point] = []
    public private(set) var stats = StepStats()

    public init(alerter: Alerter) { self.alerter = alerter }

    /// Number of pairs currently holding filter state.
    public var trackedPairs: Int { filters.count }

    /// Number of interned aircraft ids (tests: it stays bounded).
    public var internedCount: Int { ids.count }

    /// A long-running picture sees ever new aircraft: when the interned ids outnumber the
    /// step's aircraft by far, renumber them from the step's states and carry over the
    /// filters of pairs whose aircraft are both still there (the rest would be dropped by
    /// this step anyway).
    private mutating func compactIDs(keeping states: [AircraftState]) {
        guard ids.count > 2 * states.count + 1_024 else { return }
        var fresh: [String: Int32] = [:]
        fresh.reserveCapacity(states.count)
        for s in states where fresh[s.id] == nil { fresh[s.id] = Int32(fresh.count) }
        var old = [String?](repeating: nil, count: ids.count)
        for (id, k) in ids { old[Int(k)] = id }
        var kept: [UInt64: AlertFilter] = [:]
        for (key, f) in filters {
            guard let a = old[Int(key >> 32)].flatMap({ fresh[$0] }),
                  let b = old[Int(key & 0xffff_ffff)].flatMap({ fresh[$0] }) else { continue }
            kept[Self.pairKey(a, b)] = f
        }
        ids = fresh
        filters = kept
    }

    private mutating func intern(_ id: String) -> Int32 {
        if let k = ids[id] { return k }
        let k = Int32(ids.count); ids[id] = k; return k
    }

    /// Assesses ONE pair between steps (a live service checking a fresh report against its
    /// neighbours at once), with the same per-pair filter the steps use. Both states must be at
    /// `time`. The pair's filter clock never runs backwards: an assessment older than the
    /// pair's last one counts at the last one's time (it replaces that sample). Returns the
    /// filtered level, the raw level and the relative state (in the tangent plane of the
    /// aircraft interned first, as in ``step(states:parties:time:candidates:)``); nil when the
    /// pair raises nothing and holds no filter state.
    public mutating func assess(_ x: AircraftState, _ y: AircraftState, time: Double)
        -> (level: Int, rawLevel: Int, relative: RelativeState)? {
        let kx = intern(x.id), ky = intern(y.id)
        guard kx != ky else { return nil }
        let (o, t) = kx < ky ? (x, y) : (y, x)
        let r = TangentPlane.relative(own: TangentPlane.Point(o), intruder: TangentPlane.Point(t))
        guard let (level, raw) = feed(Self.pairKey(kx, ky), r, time: time, notBeforeLast: true) else { return nil }
        return (level, raw, r)
    }

    /// The key of the unordered pair of interned ids (smaller id in the high half).
    static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        let (x, y) = (UInt64(UInt32(bitPattern: min(a, b))), UInt64(UInt32(bitPattern: max(a, b))))
        return x << 32 | y
    }

    /// Feeds pair `key`'s filter with the raw level of relative state `r` at `time` (with
    /// the early alerting times of the level the filter holds). The filter is created on the
    /// first non-zero raw level and dropped once idle. `notBeforeLast`: a time before the
    /// filter's last one counts as that one (the filter's clock never runs backwards); else
    /// such a time restarts the filter (``AlertFilter/update(raw:at:)``). Returns the filtered
    /// and the raw level, or nil when the pair raises nothing and holds no filter.
    private mutating func feed(_ key: UInt64, _ r: RelativeState, time: Double, notBeforeLast: Bool)
        -> (level: Int, raw: Int)? {
        let existing = filters[key]
        let raw = alerter.rawLevel(r, held: existing?.held ?? 0)
        if raw == 0 && existing == nil { return nil }
        var f = existing ?? AlertFilter(alerter.filter)
        let level = f.update(raw: raw, at: notBeforeLast ? max(time, f.lastTime) : time)
        if level == 0 && f.isIdle { filters[key] = nil } else { filters[key] = f }
        return (level, raw)
    }

    /// Steps the picture at `time`. `states` must all be at `time` (extrapolate before);
    /// `parties[i]` is aircraft i's party (nil: every aircraft is its own party). Pairs come
    /// from `candidates` (unordered index pairs, each once: a ``Cycle`` passes those of its
    /// broad phase) or, when nil, from a ``BroadPhase`` with the alerter's ``Reach``. Returns
    /// the pairs whose filtered level is non-zero.
    /// Pair state of aircraft absent from `states` is dropped.
    public mutating func step(states: [AircraftState], parties: [Int]? = nil, time: Double,
                              candidates: [(Int32, Int32)]? = nil) -> [PairAlert] {
        precondition(parties == nil || parties!.count == states.count)
        compactIDs(keeping: states)
        points = states.map(TangentPlane.Point.init)
        var keys = [Int32](repeating: 0, count: states.count)
        for i in states.indices { keys[i] = intern(states[i].id) }
        var indexOfKey = [Int32](repeating: -1, count: ids.count)
        for i in states.indices { indexOfKey[Int(keys[i])] = Int32(i) }

        var alerts: [PairAlert] = []
        var visited = Set<UInt64>()
        var st = StepStats(); st.aircraft = states.count
        let alerter = self.alerter

        func assess(_ i: Int, _ j: Int) {
            if let p = parties, p[i] == p[j] { return }
            if keys[i] == keys[j] { return }   // the same aircraft listed twice
            st.candidatePairs += 1
            // Assess in the tangent plane of the aircraft with the smaller key, so that the
            // result does not depend on the order of `states`.
            let (o, t) = keys[i] < keys[j] ? (i, j) : (j, i)
            let r = TangentPlane.relative(own: points[o], intruder: points[t])
            let key = Self.pairKey(keys[o], keys[t])
            guard let (level, raw) = feed(key, r, time: time, notBeforeLast: false) else { return }
            if raw > 0 { st.raisedRaw += 1 }
            visited.insert(key)
            if level > 0 { alerts.append(PairAlert(first: o, second: t, level: level, rawLevel: raw, relative: r)) }
        }

        if let c = candidates {
            for (i, j) in c where i != j { assess(Int(i), Int(j)) }
        } else {
            BroadPhase(TrafficPicture(states), reach: .alerting(alerter)).forEachPair { i, j in assess(i, j) }
        }

        // Pairs with state that were not candidates: their raw level is 0 this step, unless
        // an aircraft has left the picture (stale track), which drops the pair.
        for (key, var f) in filters where !visited.contains(key) {
            let a = indexOfKey[Int(key >> 32)], b = indexOfKey[Int(key & 0xffff_ffff)]
            guard a >= 0, b >= 0 else { filters[key] = nil; continue }
            let level = f.update(raw: 0, at: time)
            if level == 0 && f.isIdle { filters[key] = nil } else { filters[key] = f }
            if level > 0 {
                let r = TangentPlane.relative(own: points[Int(a)], intruder: points[Int(b)])
                alerts.append(PairAlert(first: Int(a), second: Int(b), level: level, rawLevel: 0, relative: r))
            }
        }
        st.trackedPairs = filters.count
        stats = st
        return alerts
    }
}

extension AlertFilter {
    /// True when the filter holds nothing worth keeping: output 0 and no non-zero raw level in
    /// its window.
    public var isIdle: Bool { output == 0 && !hasNonZeroHistory }
}
