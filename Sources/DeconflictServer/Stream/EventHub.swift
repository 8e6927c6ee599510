import DeconflictCore
import Foundation
import DeconflictFormats

/// Publishes events to parties: each event gets the next cursor (one counter for the
/// whole server, so every party sees its cursors increase), goes into the party's
/// bounded log, and to the party's open streams.
///
/// Cursors start at the server's start time in microseconds, so they keep increasing
/// across restarts and a cursor from before a restart reads as a `gap`.
public final class EventHub: @unchecked Sendable {
    private let lock = Lock()
    private let capacity: Int
    private let start: UInt64
    private var next: UInt64
    private var logs: [String: PartyLog] = [:]
    private var subscribers: [String: [UInt64: Subscriber]] = [:]
    private var nextSubscriber: UInt64 = 0
    private let metrics: ServerMetrics

    final class Subscriber: @unchecked Sendable {
        let continuation: AsyncStream<StreamEvent>.Continuation
        var overflowed = false
        init(_ c: AsyncStream<StreamEvent>.Continuation) { continuation = c }
    }

    /// Events buffered per open stream before it is closed as too slow.
    static let streamBuffer = 8192

    public init(capacity: Int, metrics: ServerMetrics, now: Date = Date()) {
        self.capacity = capacity
        self.metrics = metrics
        start = UInt64(now.timeIntervalSince1970 * 1_000_000)
        next = start
    }

    /// The newest cursor handed out (a reader starting "now" resumes from here).
    public var current: UInt64 { lock.withLock { next - 1 } }

    public func hasSubscribers(_ party: String) -> Bool { lock.withLock { !(subscribers[party]?.isEmpty ?? true) } }

    /// Publishes one event to `party`; `body` gets the cursor and returns the JSON.
    /// `resumable: false` (the `track` vicinity pictures: large, and superseded by the next
    /// cycle's) goes to open streams only, not into the log kept for resumption — which keeps
    /// the log's memory bounded by events that matter.
    @discardableResult
    public func publish(to party: String, type: String, received: ContinuousClock.Instant? = nil,
                        resumable: Bool = true, _ body: (UInt64) -> String) -> UInt64 {
        lock.withLock {
            let cursor = next
            next += 1
            let e = StreamEvent(cursor: cursor, type: type, json: body(cursor), received: received)
            if resumable { logs[party, default: PartyLog(capacity: capacity, droppedUpTo: start - 1)].append(e) }
            if let subs = subscribers[party] {
                for s in subs.values where !s.overflowed {
                    if case .dropped = s.continuation.yield(e) {
                        s.overflowed = true
                        s.continuation.finish()
                    }
                }
            }
            metrics.eventsPublished.increment()
            return cursor
        }
    }

    /// Kept events after `since` (and a gap if some were dropped).
    public func events(for party: String, after since: UInt64, limit: Int = .max) -> (events: [StreamEvent], gap: StreamGap?, newest: UInt64) {
        lock.withLock {
            let log = logs[party] ?? PartyLog(capacity: 1, droppedUpTo: start - 1)
            let r = log.after(since, limit: limit)
            return (r.events, r.gap, max(log.newest, since))
        }
    }

    /// Opens a stream: the backlog after `since` (nil: from now) and the live events
    /// after it, with no event lost or repeated between the two.
    public func subscribe(_ party: String, since: UInt64?) -> Subscription {
        lock.withLock {
            let (stream, continuation) = AsyncStream<StreamEvent>.makeStream(bufferingPolicy: .bufferingOldest(Self.streamBuffer))
            let sub = Subscriber(continuation)
            let id = nextSubscriber; nextSubscriber += 1
            subscribers[party, default: [:]][id] = sub
            var backlog: [StreamEvent] = []
            var gap: StreamGap?
            if let since {
                let log = logs[party] ?? PartyLog(capacity: 1, droppedUpTo: start - 1)
                (backlog, gap) = log.after(since)
            }
            metrics.streamClients.increment()
            return Subscription(id: id, party: party, backlog: backlog, gap: gap, live: stream,
                                subscriber: sub, startCursor: next - 1)
        }
    }

    public func unsubscribe(_ s: Subscription) {
        lock.withLock {
            if subscribers[s.party]?.removeValue(forKey: s.id) != nil { metrics.streamClients.decrement() }
            s.subscriber.continuation.finish()
        }
    }

    /// Ends every stream (shutdown).
    public func finishAll() {
        lock.withLock {
            for subs in subscribers.values { for s in subs.values { s.continuation.finish() } }
        }
    }
}

public struct Subscription: Sendable {
    let id: UInt64
    let party: String
    public let backlog: [StreamEvent]
    public let gap: StreamGap?
    public let live: AsyncStream<StreamEvent>
    let subscriber: EventHub.Subscriber
    /// The newest cursor when the stream opened.
    public let startCursor: UInt64
    /// Whether the stream ended because the reader was too slow.
    public var overflowed: Bool { subscriber.overflowed }
}
