/// Per (ownship, intruder) filtering of raw alert levels over time.
///
/// Semantics (our own formulation, matched against NASA's H1 reference output):
/// - **M of N**: the candidate level is the highest level reached by at least `m` of the last
///   `n` raw levels (so a single-step blip is not output; one missing step does not drop it).
/// - **Hysteresis time**: raw levels older than `hysteresisTime` leave the window, so a gap in
///   the data longer than that restarts the pair's history.
/// - **Persistence**: once the output changes to a level, it is not lowered before
///   `persistenceTime` has passed.
/// - The caller computes raw levels with each level's early alerting time when the output
///   already holds that level (``held``), which is the hysteresis on the alerting times.
public struct AlertFilter: Sendable {
    public let parameters: AlertFilterParameters
    // Ring of the last n raw levels and their times (n is small).
    private var times: [Double] = []
    private var levels: [Int] = []
    /// The filtered level currently output.
    public private(set) var output: Int = 0
    /// When the output last changed.
    public private(set) var changedAt: Double = -.infinity
    /// Time of the last update.
    public private(set) var lastTime: Double = -.infinity

    public init(_ parameters: AlertFilterParameters) {
        self.parameters = parameters
        times.reserveCapacity(parameters.n); levels.reserveCapacity(parameters.n)
    }

    /// True when a raw level in the window is non-zero.
    public var hasNonZeroHistory: Bool { levels.contains { $0 > 0 } }

    /// The level the output holds (used to pick early alerting times).
    @inlinable public var held: Int { output }

    /// Feeds the raw level computed at `time`; returns the filtered level.
    @discardableResult
    public mutating func update(raw: Int, at time: Double) -> Int {
        let p = parameters
        if time < lastTime || time - lastTime > p.hysteresisTime {
            // Time went backwards or the data has a gap: restart the pair.
            times.removeAll(keepingCapacity: true); levels.removeAll(keepingCapacity: true)
            output = 0; changedAt = -.infinity
        } else if time == lastTime, !times.isEmpty {
            // Same instant again: the newer raw level replaces the older one.
            times.removeLast(); levels.removeLast()
        }
        lastTime = time
        times.append(time); levels.append(raw)
        // Keep the last n entries within the hysteresis time.
        var drop = max(0, times.count - p.n)
        while drop < times.count, time - times[drop] > p.hysteresisTime { drop += 1 }
        if drop > 0 { times.removeFirst(drop); levels.removeFirst(drop) }

        // M of N: the highest level that at least m entries reach.
        var candidate = 0
        if levels.count >= p.m {
            let top = levels.max() ?? 0
            var lvl = top
            while lvl > 0 {
                var count = 0
                for l in levels where l >= lvl { count += 1 }
                if count >= p.m { break }
                lvl -= 1
            }
            candidate = lvl
        }
        if candidate > output {
            output = candidate; changedAt = time
        } else if candidate < output, time - changedAt >= p.persistenceTime {
            output = candidate; changedAt = time
        }
        return output
    }
}
