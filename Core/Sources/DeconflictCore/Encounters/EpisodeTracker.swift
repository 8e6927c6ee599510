/// Turns detections at successive times into conflict *episodes*: one per pair from the
/// first time it is flagged to the last, closed when it has not been flagged for more
/// than `mergeGap` seconds.
public struct EpisodeTracker: Sendable {
    public struct Episode: Sendable, Hashable {
        public var a: String
        public var b: String
        public var firstFlagged: Double
        public var lastFlagged: Double
        /// Times flagged.
        public var steps: Int
        /// The shortest predicted time to loss of separation seen (≤ 0: in LoS).
        public var minTimeToLoS: Double
        /// The earliest predicted moment of loss of separation (`time + tin`).
        public var earliestPredictedLoS: Double
        /// The smallest predicted horizontal miss distance (dcpa), metres.
        public var minDcpa: Double
        /// The smallest horizontal distance actually observed while flagged, metres,
        /// and the vertical separation at that moment, metres.
        public var minDistance: Double
        public var verticalAtMinDistance: Double
        /// Whether a loss of separation was actually observed (not only predicted).
        public var losObserved: Bool
    }

    struct Key: Hashable { let a: String, b: String }

    public var mergeGap: Double
    private var open: [Key: Episode] = [:]
    private var closed: [Episode] = []

    public init(mergeGap: Double) { self.mergeGap = mergeGap }

    /// Records the conflicts found at `time` (ids from `picture`).
    public mutating func record(time: Double, conflicts: [Conflict], ids: [String]) {
        for c in conflicts {
            let key = Key(a: ids[c.a], b: ids[c.b])
            if var e = open[key] {
                e.lastFlagged = time; e.steps += 1
                e.minTimeToLoS = min(e.minTimeToLoS, c.tin)
                e.earliestPredictedLoS = min(e.earliestPredictedLoS, time + max(c.tin, 0))
                e.minDcpa = min(e.minDcpa, c.dcpa)
                if c.distance < e.minDistance {
                    e.minDistance = c.distance; e.verticalAtMinDistance = c.verticalSeparation
                }
                e.losObserved = e.losObserved || c.los
                open[key] = e
            } else {
                open[key] = Episode(a: key.a, b: key.b, firstFlagged: time, lastFlagged: time, steps: 1,
                                    minTimeToLoS: c.tin, earliestPredictedLoS: time + max(c.tin, 0),
                                    minDcpa: c.dcpa, minDistance: c.distance,
                                    verticalAtMinDistance: c.verticalSeparation, losObserved: c.los)
            }
        }
        for (key, e) in open where time - e.lastFlagged > mergeGap {
            closed.append(e); open[key] = nil
        }
    }

    /// All episodes, open ones closed, sorted by start time then pair.
    public mutating func finish() -> [Episode] {
        closed.append(contentsOf: open.values); open = [:]
        closed.sort { ($0.firstFlagged, $0.a, $0.b) < ($1.firstFlagged, $1.a, $1.b) }
        return closed
    }

    public var openCount: Int { open.count }
}
