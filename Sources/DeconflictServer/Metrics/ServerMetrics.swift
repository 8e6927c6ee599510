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
        reportsAccepted = registry.makeCounter(descriptor: Self.descriptor("deconflict_reports_accepted_total", "Track reports accepted (new)"))
        reportsDuplicate = registry.makeCounter(descriptor: Self.descriptor("deconflict_reports_duplicate_total", "Track reports already known (idempotent replays)"))
        batchesRejected = registry.makeCounter(descriptor: Self.descriptor("deconflict_batches_rejected_total", "Track batches refused whole"))
        authFailures = registry.makeCounter(descriptor: Self.descriptor("deconflict_auth_failures_total", "Requests refused with 401"))
        eventsPublished = registry.makeCounter(descriptor: Self.descriptor("deconflict_events_published_total", "Stream events published (per recipient)"))
        streamClients = registry.makeGauge(descriptor: Self.descriptor("deconflict_stream_clients", "Open WebSocket streams"))
        liveAircraft = registry.makeGauge(descriptor: Self.descriptor("deconflict_live_aircraft", "Aircraft in the live picture"))
        incrementalChecked = registry.makeCounter(descriptor: Self.descriptor("deconflict_incremental_checked_total", "Fresh reports checked against their neighbours at once"))
        incrementalSkipped = registry.makeCounter(descriptor: Self.descriptor("deconflict_incremental_skipped_total", "Fresh reports that agreed with the cycle's prediction (left to the next cycle)"))
        residentBytes = registry.makeGauge(descriptor: Self.descriptor("deconflict_process_resident_bytes", "Resident memory of the server process (Linux /proc/self/statm), updated every cycle"))
        activeConflicts = registry.makeGauge(descriptor: Self.descriptor("deconflict_active_conflicts", "Cross-party conflicts now"))
        let fast: [Duration] = [.microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                                .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2)]
        cycleSeconds = registry.makeDurationHistogram(descriptor: Self.descriptor("deconflict_cycle_seconds", "Full detection cycle"), buckets: fast)
        reportToPushSeconds = registry.makeDurationHistogram(descriptor: Self.descriptor("deconflict_report_to_push_seconds", "From receiving the report that raised a conflict or an alert to writing it on a stream"), buckets: fast)
        ingestSeconds = registry.makeDurationHistogram(descriptor: Self.descriptor("deconflict_ingest_seconds", "POST /v1/tracks handling"), buckets: fast)
    }

    func countResponse(_ code: Int) {
        registry.makeCounter(descriptor: Self.descriptor("deconflict_http_responses_total", "HTTP responses by status code"),
                             labels: [("code", String(code))]).increment()
    }

    public func exposition() -> String { registry.emitToString() }

    /// `deconflict_<name>[_<unit>]` with its help text, for swift-prometheus's descriptors
    /// (the unit is the conventional suffix: total, seconds, bytes).
    static func descriptor(_ full: String, _ help: String) -> MetricNameDescriptor {
        var name = String(full.dropFirst("deconflict_".count))
        var unit = ""
        for u in ["total", "seconds", "bytes"] where name.hasSuffix("_" + u) {
            unit = u; name = String(name.dropLast(u.count + 1))
        }
        return MetricNameDescriptor(namespace: "deconflict", metricName: name, unitName: unit, helpText: help)
    }

    /// Refreshes `deconflict_process_resident_bytes` (no-op where /proc is missing).
    func sampleMemory() {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return }
        residentBytes.set(pages * Double(sysconf(Int32(_SC_PAGESIZE))))
    }
}
