import DeconflictCore
import DeconflictStore

/// Small builders for test intents around a reference point (Zurich-ish).
enum F {
    static let t0 = 1_800_000_000.0
    static let lat = 47.40, lon = 8.55

    /// A circle volume `dx`/`dy` metres from the reference point.
    static func circle(dx: Double = 0, dy: Double = 0, r: Double = 1_000, lo: Double = 0, hi: Double = 120,
                       from: Double = t0, to: Double = t0 + 3_600) -> Volume4D {
        let c = LatLon(lat: lat + Units.deg(dy / Units.earthRadius),
                       lon: lon + Units.deg(dx / (Units.earthRadius * cos(Units.rad(lat)))))
        return Volume4D(volume: .circle(center: c, radius: r, lower: lo, upper: hi), timeStart: from, timeEnd: to)
    }

    static func proposal(_ id: String, _ volumes: [Volume4D], priority: Int = 0,
                         state: IntentState = .accepted) -> IntentProposal {
        IntentProposal(id: id, state: state, priority: priority, volumes: volumes)
    }
}

extension WriteResult {
    /// The accepted intent, or a test failure description.
    func accepted() throws -> Intent {
        guard let i = intent else { throw TestFailure("expected accepted, got \(self)") }
        return i
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ s: String) { description = s }
}
