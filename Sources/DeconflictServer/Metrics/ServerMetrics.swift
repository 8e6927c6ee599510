import Foundation
import Prometheus

/// The service's Prometheus metrics, served at `/metrics` (text exposition format).
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let reportsAccepted: Counter
    let reportsDuplicate: Counter
    let batchesRejected: Counter
    let authFailures: Counter
    let eventsPublished: Counter
    let streamClients: Gauge
    let liveAircraft: Gauge
    let activeConflicts: Gauge
    let cycleSeconds: DurationHistogram
    let reportToPushSeconds: DurationHistogram
    let ingestSeconds: DurationHistogram
    let incrementalChecked: Counter
    let residentBytes: Gauge
    let incrementalSkipped: Counter

    public init() {
        reportsAccepted = registry.makeCounter(name: "deconflict_reports_accepted_total", help: "Track reports accepted (new)")
        reportsDuplicate = registry.makeCounter(name: "deconflict_reports_duplicate_total", help: "Track reports already known (idempotent replays)")
        batchesRejected = registry.makeCounter(name: "deconflict_batches_rejected_total", help: "Track batches refused whole")
        authFailures = registry.makeCounter(name: "deconflict_auth_failures_total", help: "Requests refused with 401")
        eventsPublished = registry.makeCounter(name: "deconflict_events_published_total", help: "Stream events published (per recipient)")
        streamClients = registry.makeGauge(name: "deconflict_stream_clients", help: "Open WebSocket streams")
        liveAircraft = registry.makeGauge(name: "deconflict_live_aircraft", help: "Aircraft in the live picture")
        incrementalChecked = registry.makeCounter(name: "deconflict_incremental_checked_total",
                                                  help: "Fresh reports checked against their neighbours at once")
        incrementalSkipped = registry.makeCounter(name: "deconflict_incremental_skipped_total",
                                                  help: "Fresh reports that agreed with the cycle's prediction (left to the next cycle)")
        residentBytes = registry.makeGauge(name: "deconflict_process_resident_bytes",
                                           help: "Resident memory of the server process (Linux /proc/self/statm), updated every cycle")
        activeConflicts = registry.makeGauge(name: "deconflict_active_conflicts", help: "Cross-party conflicts now")
        let fast: [Duration] = [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2)]
        cycleSeconds = registry.makeDurationHistogram(name: "deconflict_cycle_seconds", buckets: fast, help: "Full detection cycle")
        reportToPushSeconds = registry.makeDurationHistogram(name: "deconflict_report_to_push_seconds", buckets: fast,
                                                             help: "From receiving the report that raised a conflict or an alert to writing it on a stream")
        ingestSeconds = registry.makeDurationHistogram(name: "deconflict_ingest_seconds", buckets: fast, help: "POST /v1/tracks handling")
    }

    func countResponse(_ code: Int) {
        registry.makeCounter(name: "deconflict_http_responses_total", labels: [("code", String(code))]).increment()
    }

    public func exposition() -> String { registry.emitToString() }

    /// Refreshes `deconflict_process_resident_bytes` (no-op where /proc is missing).
    func sampleMemory() {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return }
        residentBytes.set(pages * Double(sysconf(Int32(_SC_PAGESIZE))))
    }
}
