import Foundation

/// One event on a party's stream. `json` is the full message as sent (it includes
/// `type` and `cursor`); `received` is when the report that caused it arrived (for the
/// report→push latency metric).
public struct StreamEvent: Sendable {
    public var cursor: UInt64
    public var type: String
    public var json: String
    public var received: ContinuousClock.Instant?
}

/// A stretch of events a reader asked for that is no longer kept.
public struct StreamGap: Sendable, Equatable {
    /// The reader's cursor.
    public var from: UInt64
    /// The newest cursor dropped: events in (from, to] may have been lost.
    public var to: UInt64

    var json: String {
        #"{"type":"gap","cursor":\#(to),"from":\#(from),"to":\#(to),"detail":"events after cursor \#(from) up to \#(to) are no longer kept (log full or server restarted): re-read GET /v1/conflicts and continue from cursor \#(to)"}"#
    }
}
