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
