/// Steps a recording: states in time order in, the picture at each step out. Steps fall on
/// multiples of `step`; each picture holds every aircraft's latest state at or before the
/// step, no older than `maxAge`, projected to it. Every row is seen by a step: the last step
/// is the first at or after the last row. While nothing is in the air the steps jump to the
/// next row. The one loop under `scan` and `alerts`.
public struct Replay: Sendable {
    public let step: Double
    public let maxAge: Double
    public private(set) var latest = LatestStates()
    public private(set) var steps = 0

    public init(step: Double, maxAge: Double) {
        precondition(step > 0 && maxAge >= 0)
        self.step = step; self.maxAge = maxAge
    }

    /// Pulls rows from `next` (nil: the end) and calls `body(time, picture)` at every step;
    /// `latest` holds the parties seen so far.
    public mutating func run(next: () throws -> (AircraftState, String?)?,
                             body: (_ time: Double, _ picture: [AircraftState], _ latest: LatestStates) throws -> Void) rethrows {
        var pending = try next()
        guard let first = pending else { return }
        var t = (first.0.time / step).rounded(.down) * step
        while true {
            while let p = pending, p.0.time <= t {
                latest.update(p.0, party: p.1)
                pending = try next()
            }
            try body(t, latest.picture(at: t, maxAge: maxAge), latest)
            steps += 1
            guard let p = pending else { return }
            latest.dropStale(before: t, maxAge: maxAge)
            t = latest.count == 0 ? max(t + step, (p.0.time / step).rounded(.down) * step) : t + step
        }
    }
}
