/// The latest known state of each aircraft while a recording is replayed, and the
/// picture at a given time: each aircraft's latest state at or before it, no older than
/// a maximum age, projected to that time.
public struct LatestStates: Sendable {
    public private(set) var states: [String: AircraftState] = [:]
    public private(set) var parties: [String: String] = [:]

    public init() {}

    public var count: Int { states.count }

    /// Keeps `s` if it is not older than what is known of that aircraft.
    public mutating func update(_ s: AircraftState, party: String? = nil) {
        if let old = states[s.id], old.time > s.time { return }
        states[s.id] = s
        if let party { parties[s.id] = party }
    }

    /// The picture at `time`: states at or before it, at most `maxAge` old, projected to
    /// `time`, sorted by id (deterministic).
    public func picture(at time: Double, maxAge: Double) -> [AircraftState] {
        var out: [AircraftState] = []
        out.reserveCapacity(states.count)
        for s in states.values where s.time <= time && time - s.time <= maxAge {
            out.append(s.projected(by: time - s.time))
        }
        out.sort { $0.id < $1.id }
        return out
    }

    /// Forgets aircraft whose latest state is older than `time - maxAge`.
    public mutating func dropStale(before time: Double, maxAge: Double) {
        let cutoff = time - maxAge
        states = states.filter { $0.value.time >= cutoff }
    }
}
