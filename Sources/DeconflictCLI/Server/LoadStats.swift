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
            let key = Self.key(time)
            if sendInstants[key] == nil { sendInstants[key] = instant }
        }
    }

    /// Reports are matched to their send by their time, to the millisecond.
    private static func key(_ time: Double) -> Int64 { Int64((time * 1000).rounded()) }

    /// Lock held. Seconds from the send of the report with `reportTime` to `instant`.
    private func latency(reportTime: Double, at instant: ContinuousClock.Instant) -> (sentAt: ContinuousClock.Instant, seconds: Double)? {
        guard let sentAt = sendInstants[Self.key(reportTime)] else { return nil }
        return (sentAt, LoadCommand.secs(instant - sentAt))
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
            guard raised, let (_, s) = latency(reportTime: reportTime, at: instant) else { return }
            latencies.append(s)
            if byReport { reportLatencies.append(s) }
        }
    }

    func finalReportLatencies() -> [Double] { lock.withLock { reportLatencies.sorted() } }

    /// Reports sent before this instant are not timed (warm-up: the first cycles see every
    /// aircraft as new).
    var timedFrom: ContinuousClock.Instant?
    private(set) var warmupExcluded = 0

    /// A `conflict` event (`state: new`): timed from the send of its report when the report
    /// itself raised it.
    func noteConflict(reportTime: Double, byReport: Bool, at instant: ContinuousClock.Instant) {
        lock.withLock {
            conflicts += 1
            guard byReport, let (sentAt, s) = latency(reportTime: reportTime, at: instant) else { return }
            if let from = timedFrom, sentAt < from { warmupExcluded += 1; return }
            conflictLatencies.append(s)
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
