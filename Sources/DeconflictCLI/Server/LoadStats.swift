import DeconflictCore
import Foundation

/// Counters and latencies shared by the load generator's tasks.
final class LoadStats: @unchecked Sendable {
    private let lock = Lock()
    private(set) var sent = 0
    private(set) var accepted = 0
    private(set) var failedBatches = 0
    private(set) var statusCounts: [Int: Int] = [:]
    private(set) var alerts = 0
    private(set) var latencies: [Double] = []
    /// Latencies of alerts raised at once by the report itself (not by the periodic cycle).
    private(set) var reportLatencies: [Double] = []
    /// Latencies of new conflicts raised at once by the report itself.
    private(set) var conflictLatencies: [Double] = []
    private(set) var conflicts = 0
    private var sendInstants: [Int64: ContinuousClock.Instant] = [:]

    func noteSend(time: Double, at instant: ContinuousClock.Instant) {
        lock.withLock {
            let key = Int64((time * 1000).rounded())
            if sendInstants[key] == nil { sendInstants[key] = instant }
        }
    }

    func noteResponse(status: Int, reports: Int, accepted: Int) {
        lock.withLock {
            sent += reports
            statusCounts[status, default: 0] += 1
            if status == 202 { self.accepted += accepted } else { failedBatches += 1 }
        }
    }

    /// An alert pushed on a stream: latency from the send of the report it names.
    func noteAlert(reportTime: Double, raised: Bool, byReport: Bool, at instant: ContinuousClock.Instant) {
        lock.withLock {
            alerts += 1
            guard raised, let sentAt = sendInstants[Int64((reportTime * 1000).rounded())] else { return }
            let d = instant - sentAt
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            latencies.append(s)
            if byReport { reportLatencies.append(s) }
        }
    }

    func finalReportLatencies() -> [Double] { lock.withLock { reportLatencies.sorted() } }

    /// A `conflict` event (`state: new`): timed from the send of its report when the report
    /// itself raised it.
    /// Reports sent before this instant are not timed (warm-up: the first cycles see every
    /// aircraft as new).
    var timedFrom: ContinuousClock.Instant?
    private(set) var warmupExcluded = 0

    func noteConflict(reportTime: Double, byReport: Bool, at instant: ContinuousClock.Instant) {
        lock.withLock {
            conflicts += 1
            guard byReport, let sentAt = sendInstants[Int64((reportTime * 1000).rounded())] else { return }
            if let from = timedFrom, sentAt < from { warmupExcluded += 1; return }
            let d = instant - sentAt
            conflictLatencies.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
    }

    func finalConflictLatencies() -> [Double] { lock.withLock { conflictLatencies.sorted() } }
    func conflictCount() -> Int { lock.withLock { conflicts } }
    func warmupCount() -> Int { lock.withLock { warmupExcluded } }

    private var memory: [(Double, Double)] = []
    func noteMemory(seconds: Double, bytes: Double) { lock.withLock { memory.append((seconds, bytes)) } }
    func memorySamples() -> [(Double, Double)] { lock.withLock { memory } }

    func snapshot() -> (sent: Int, accepted: Int, failed: Int, alerts: Int) {
        lock.withLock { (sent, accepted, failedBatches, alerts) }
    }

    func finalLatencies() -> [Double] { lock.withLock { latencies.sorted() } }
    func finalStatus() -> [Int: Int] { lock.withLock { statusCounts } }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let idx = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[idx]
    }
}
