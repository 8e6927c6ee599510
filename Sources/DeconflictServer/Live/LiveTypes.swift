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

    /// The track as the core's live picture sees it.
    var aircraft: LiveAircraft { LiveAircraft(state: state, party: party) }
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
