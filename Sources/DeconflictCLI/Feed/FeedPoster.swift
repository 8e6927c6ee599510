import AsyncHTTPClient
import DeconflictCore
import DeconflictFormats
import Foundation
import DeconflictServer
import NIOCore

/// Posts a feeder's states to `POST /v1/tracks` as its party: one request in flight,
/// everything that arrived meanwhile goes in the next (so a quiet feed posts each state at
/// once and a busy one batches by itself); at most `maxBatch` reports a request. States the
/// service would refuse (out of its ranges) are dropped here and counted, so one bad state
/// cannot cost a batch; aircraft the service says belong to another party (409) are left out
/// from then on. Network errors: the batch is kept and retried with backoff; the queue is
/// bounded (oldest states dropped first, counted).
final class FeedPoster: @unchecked Sendable {
    let client: HTTPClient
    let url: String
    let token: String
    let maxBatch: Int
    let maxQueue: Int
    private let lock = NSLock()
    private var queue: [PendingState] = []
    private var signal: AsyncStream<Void>.Continuation
    private let signals: AsyncStream<Void>
    private var refused: Set<String> = []
    /// Keep every state's arrival → acknowledgement latency (benchmarks; off for long runs).
    let recordLatency: Bool

    struct Counters: Sendable {
        var posted = 0, requests = 0, dropped = 0, outOfRange = 0, foreign = 0, failures = 0
        var lastError: String?
        var latency = LatencyStats()
    }
    private var counters = Counters()

    init(base: String, token: String, maxBatch: Int = 2_000, maxQueue: Int = 200_000, recordLatency: Bool = false) {
        self.recordLatency = recordLatency
        client = HTTPClient(eventLoopGroupProvider: .singleton,
                            configuration: .init(timeout: .init(connect: .seconds(5), read: .seconds(30))))
        url = base + "/v1/tracks"
        self.token = token
        self.maxBatch = maxBatch
        self.maxQueue = maxQueue
        (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Called from the source threads.
    func push(_ states: [PendingState]) {
        lock.lock()
        queue.append(contentsOf: states)
        if queue.count > maxQueue {
            let extra = queue.count - maxQueue
            queue.removeFirst(extra)
            counters.dropped += extra
        }
        lock.unlock()
        signal.yield()
    }

    var snapshot: Counters { lock.lock(); defer { lock.unlock() }; return counters }

    /// Takes and resets the latency samples (for a status line's window).
    func takeLatencies() -> LatencyStats {
        lock.lock(); defer { lock.unlock() }
        let l = counters.latency
        counters.latency = LatencyStats()
        return l
    }

    func finishInput() { signal.finish() }

    /// The validity rules of `POST /v1/tracks`, checked before sending: the service's own
    /// `TrackReport.problem` (time only for being finite: the service's clock decides the rest).
    static func inRange(_ s: AircraftState) -> Bool {
        guard let alt = s.altFt else { return false }
        let r = TrackReport(aircraft: s.id, time: s.time, lat: s.lat, lon: s.lon, alt_ft: alt,
                            gs_kt: Units.toKt(s.gs), trk_deg: s.trk, vs_fpm: Units.toFpm(s.vs))
        return r.problem(now: s.time, maxFuture: 1, maxPast: 1) == nil
    }

    static func body(_ states: ArraySlice<PendingState>) -> String {
        var out = #"{"reports":["#
        out.reserveCapacity(states.count * 150)
        var first = true
        for p in states {
            let s = p.state.state
            if !first { out += "," }
            first = false
            out += #"{"aircraft":""#; out += s.id
            out += #"","time":"#; out += String(s.time)
            out += #","lat":"#; out += String(s.lat)
            out += #","lon":"#; out += String(s.lon)
            out += #","alt_ft":"#; out += String(s.altFt ?? Units.toFt(s.alt))
            out += #","gs_kt":"#; out += String(Units.toKt(s.gs))
            out += #","trk_deg":"#; out += String(s.trk)
            out += #","vs_fpm":"#; out += String(Units.toFpm(s.vs))
            out += "}"
        }
        return out + "]}"
    }

    /// Runs until the input is finished and the queue is empty, or the task is cancelled.
    func run() async {
        var backoff = 0.2
        var iterator = signals.makeAsyncIterator()
        while !Task.isCancelled {
            let taken: ArraySlice<PendingState> = lock.withLock {
                let b = queue.prefix(maxBatch)
                queue.removeFirst(b.count)
                return b
            }
            if taken.isEmpty {
                if await iterator.next() == nil {
                    if lock.withLock({ queue.isEmpty }) { break }
                }
                continue
            }
            let refusedNow = lock.withLock { refused }
            var batch: [PendingState] = []
            batch.reserveCapacity(taken.count)
            var outOfRange = 0, foreign = 0
            for p in taken {
                if refusedNow.contains(p.state.state.id) { foreign += 1 }
                else if Self.inRange(p.state.state) { batch.append(p) }
                else { outOfRange += 1 }
            }
            lock.withLock { counters.outOfRange += outOfRange; counters.foreign += foreign }
            if batch.isEmpty { continue }
            do {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: Self.body(batch[...])))
                let response = try await client.execute(request, timeout: .seconds(30))
                let bytes = try await response.body.collect(upTo: 1 << 20)
                let code = Int(response.status.code)
                let done = monotonicNs()
                let retry: Bool = lock.withLock {
                    switch code {
                    case 202:
                        counters.posted += batch.count; counters.requests += 1
                        if recordLatency { for p in batch { counters.latency.add(Double(done &- p.receivedNs) / 1e6) } }
                        return false
                    case 409:
                        // Some aircraft belong to another party: leave them out, send the rest again.
                        let ids = Self.foreignIDs(String(buffer: bytes))
                        refused.formUnion(ids)
                        counters.foreign += batch.filter { ids.contains($0.state.state.id) }.count
                        if !ids.isEmpty { queue.insert(contentsOf: batch.filter { !ids.contains($0.state.state.id) }, at: 0) }
                        counters.lastError = "409: \(ids.sorted().prefix(5).joined(separator: ", ")) reported by another party"
                        return false
                    case 401, 403, 429, 500...:
                        // A token to renew, or a busy service: keep the batch, wait, try again.
                        counters.failures += 1
                        counters.lastError = "\(code): \(String(buffer: bytes).prefix(200))"
                        queue.insert(contentsOf: batch, at: 0)
                        return true
                    default:
                        counters.failures += 1; counters.dropped += batch.count
                        counters.lastError = "\(code): \(String(buffer: bytes).prefix(200))"
                        return false
                    }
                }
                if retry { try await Task.sleep(for: .seconds(backoff)); backoff = min(30, backoff * 2) } else { backoff = 0.2 }
            } catch {
                if Task.isCancelled { break }
                lock.withLock {
                    counters.failures += 1; counters.lastError = "\(error)"
                    queue.insert(contentsOf: batch, at: 0)
                }
                try? await Task.sleep(for: .seconds(backoff)); backoff = min(30, backoff * 2)
            }
        }
    }

    /// The `aircraft` array of a 409 problem body.
    static func foreignIDs(_ body: String) -> Set<String> {
        guard let o = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let a = o["aircraft"] as? [String] else { return [] }
        return Set(a)
    }

    func shutdown() async { try? await client.shutdown() }
}
