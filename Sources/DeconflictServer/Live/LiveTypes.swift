import DeconflictCore
import Foundation

/// The latest state of one aircraft, its party, and when its report arrived.
struct LiveTrack: Sendable {
    var state: AircraftState
    var report: TrackReport
    var party: String
    var received: ContinuousClock.Instant
    /// The id other parties see (``OpaqueIDs``), computed once per aircraft.
    var opaque: String
}

/// An unordered pair of aircraft ids (`a < b`).
struct PairKey: Hashable, Sendable {
    let a: String, b: String
    init(_ x: String, _ y: String) { (a, b) = x < y ? (x, y) : (y, x) }
}

/// A cross-party conflict now in force.
struct ActivePair: Sendable {
    var level: Int
    var geometry: PairGeometry
    var partyA: String, partyB: String
    var since: Double
    /// Report time of the newer of the two states the last detection used.
    var reportTime: Double
    /// Seconds to the violation of the current level's volume (nil at level 0).
    var timeToViolation: Double?
    /// The engine's update count when this pair last changed (see `LiveEngine.runCycle`).
    var generation: UInt64 = 0
}

/// What `POST /v1/tracks` answers.
public struct IngestResult: Codable, Sendable, Equatable {
    /// Reports in the batch, all valid (duplicates included: replays are idempotent).
    public var accepted: Int
    /// Reports that changed the live picture.
    public var applied: Int
    /// Reports already seen for (aircraft, time), or older than what is known.
    public var duplicates: Int
}
