/// A party's bounded event log: a ring of the newest `capacity` events, and the
/// newest cursor it has dropped (so a reader whose cursor is older learns of the gap).
struct PartyLog {
    private var ring: [StreamEvent?]
    private var head = 0
    private(set) var count = 0
    /// Cursors at or below this may have been dropped.
    private(set) var droppedUpTo: UInt64

    init(capacity: Int, droppedUpTo: UInt64) {
        ring = Array(repeating: nil, count: max(1, capacity))
        self.droppedUpTo = droppedUpTo
    }

    mutating func append(_ e: StreamEvent) {
        let cap = ring.count
        if count == cap {
            droppedUpTo = ring[head]!.cursor
            ring[head] = e
            head = (head + 1) % cap
        } else {
            ring[(head + count) % cap] = e
            count += 1
        }
    }

    /// Events with cursor > `since`, oldest first (at most `limit`), and a gap when
    /// events after `since` were dropped.
    func after(_ since: UInt64, limit: Int = .max) -> (events: [StreamEvent], gap: StreamGap?) {
        let gap = since < droppedUpTo ? StreamGap(from: since, to: droppedUpTo) : nil
        var out: [StreamEvent] = []
        let cap = ring.count
        // Binary search for the first cursor > since (cursors increase along the ring).
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ring[(head + mid) % cap]!.cursor <= since { lo = mid + 1 } else { hi = mid }
        }
        var i = lo
        while i < count && out.count < limit { out.append(ring[(head + i) % cap]!); i += 1 }
        return (out, gap)
    }

    var newest: UInt64 { count == 0 ? droppedUpTo : ring[(head + count - 1) % ring.count]!.cursor }
}
