import ArgumentParser
import DeconflictFormats
import Foundation
import Hummingbird
import Prometheus

/// `deconflict feed`: a party's feeder — its own receivers and radar processors in, its
/// tracks posted to the service.
struct FeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Decode a party's surveillance feeds and post the tracks to the service.",
        discussion: """
        Each SOURCE is one of:
          beast://HOST:PORT       Beast binary (dump1090/readsb port 30005)
          avr://HOST:PORT         AVR raw lines (port 30002)
          sbs://HOST:PORT?tz=TZ   SBS-1 BaseStation lines (port 30003); TZ is
                                  required, the lines carry none: UTC (readsb),
                                  local or +02:00 (dump1090-fa)
          asterix+udp://ADDR:PORT ASTERIX CAT021/048/062 datagrams received on
                                  ADDR:PORT
          FILE[?format=F&tz=TZ]   a recording, replayed at --speed; format from
                                  the extension or first bytes (beast, avr, sbs,
                                  asterix, json, frames-csv)

        Frames are checked (Mode S parity, one-bit repair of DF17/18 only, AP \
        addresses only once heard in clear), positions decoded (CPR global and \
        local, speed gate), and each aircraft with a position, altitude and \
        velocity is posted to POST /v1/tracks as the token's party. TCP sources \
        reconnect with backoff. The status line shows frames/s, aircraft, states \
        posted and refused inputs by reason; --metrics-port serves the same \
        counters as Prometheus metrics.
        """
    )

    @Option(help: "The service, e.g. http://127.0.0.1:8080.")
    var url: String

    @Option(help: "The party's bearer token (tracks.write); default: $DECONFLICT_TOKEN.")
    var token: String?

    @Argument(help: "Sources (see above).")
    var sources: [String]

    @Option(help: "Receiver position LAT,LON: decodes surface positions and first fixes locally.")
    var receiver: String?

    @Option(help: "Replay speed for file sources (1 = real time, 0 = as fast as possible).")
    var speed: Double = 1

    @Option(help: "Serve Prometheus metrics on 127.0.0.1:PORT/metrics (0: off).")
    var metricsPort: Int = 0

    @Option(help: "Stop after this many seconds (0: run until Ctrl-C, or until every file source ends).")
    var seconds: Double = 0

    @Option(help: "At most this many reports per request.")
    var maxBatch: Int = 2_000

    @Option(help: ArgumentHelp("Post only the party's own aircraft: ICAO address blocks, e.g. 3c0000-3fffff,ae0000-afffff.",
                               discussion: "A receiver hears everyone; only one's own aircraft may be posted as one's own."))
    var ownAddresses: String?

    @Option(help: "Post only aircraft whose callsign starts with one of these prefixes, e.g. BLU,CTM.")
    var ownCallsigns: String?

    func validate() throws {
        if sources.isEmpty { throw ValidationError("give at least one SOURCE") }
        if speed < 0 { throw ValidationError("--speed must be ≥ 0") }
        if maxBatch < 1 || maxBatch > 20_000 { throw ValidationError("--max-batch must be in 1…20000") }
    }

    static func parseReceiver(_ s: String?) throws -> (lat: Double, lon: Double)? {
        guard let s else { return nil }
        let p = s.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard p.count == 2, let lat = p[0], let lon = p[1], abs(lat) <= 90, abs(lon) <= 180 else {
            throw ValidationError("--receiver must be LAT,LON in degrees, e.g. 49.0097,2.5479")
        }
        return (lat, lon)
    }

    func run() async throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["DECONFLICT_TOKEN"], !token.isEmpty else {
            throw ValidationError("give --token or set DECONFLICT_TOKEN")
        }
        guard let u = URLComponents(string: url), u.scheme == "http" || u.scheme == "https", u.host != nil else {
            throw ValidationError("--url must look like http://host:port")
        }
        let specs = try sources.map(FeedSourceSpec.parse)
        let receiver = try Self.parseReceiver(self.receiver)
        let own = try OwnAircraftFilter(addresses: ownAddresses, callsigns: ownCallsigns)
        if own.isEmpty {
            Terminal.err("feed: no --own-addresses/--own-callsigns: every aircraft the sources hear is posted as this party's own")
        }
        let feeder = Feeder(base: url.hasSuffix("/") ? String(url.dropLast()) : url, token: token, specs: specs,
                            receiver: receiver, speed: speed, maxBatch: maxBatch, own: own)
        try await feeder.run(seconds: seconds, metricsPort: metricsPort, status: true)
    }
}

/// The feeder: source runners, one poster, a status line and metrics. Used by `feed` and
/// `bench feed`.
final class Feeder: @unchecked Sendable {
    let poster: FeedPoster
    let runners: [FeedRunner]
    let metrics = FeedMetrics()

    init(base: String, token: String, specs: [FeedSourceSpec], receiver: (lat: Double, lon: Double)?,
         speed: Double, maxBatch: Int, recordLatency: Bool = false, own: OwnAircraftFilter = OwnAircraftFilter()) {
        let poster = FeedPoster(base: base, token: token, maxBatch: maxBatch, recordLatency: recordLatency)
        self.poster = poster
        runners = specs.map {
            FeedRunner(spec: $0, receiver: receiver, speed: speed) { states in
                if own.isEmpty { poster.push(states) } else { poster.push(states.filter { own.contains($0.state) }) }
            }
        }
    }

    /// Every runner started; returns when all file sources ended and everything was posted,
    /// after `seconds` (if > 0), or on cancellation.
    func run(seconds: Double, metricsPort: Int, status: Bool) async throws {
        for r in runners { r.start() }
        let onlyFiles = runners.allSatisfy { if case .file = $0.spec.kind { return true } else { return false } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.poster.run() }
            if metricsPort > 0 {
                group.addTask { try await self.metrics.serve(port: metricsPort) { self.collect() } }
            }
            group.addTask {
                let started = monotonicNs()
                var line = StatusLine(enabled: status)
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(250))
                    self.collect()
                    line.draw(self)
                    let elapsed = Double(monotonicNs() - started) / 1e9
                    if seconds > 0 && elapsed >= seconds { break }
                    if onlyFiles && self.runners.allSatisfy({ $0.snapshot.finished }) {
                        self.poster.finishInput()
                        break
                    }
                }
                line.finish(self)
            }
            // The status task ends the run; then the poster drains (files) or stops.
            _ = try await group.next()
            if onlyFiles && seconds == 0 {
                _ = try await group.next()             // the poster, after the last batch
            }
            group.cancelAll()
        }
        for r in runners { r.stop() }
        await poster.shutdown()
    }

    func collect() {
        metrics.update(runners.map(\.snapshot), poster.snapshot)
    }
}

/// The live status line on stderr (redrawn in place on a terminal; a plain line every
/// 10 s otherwise) and the closing summary.
struct StatusLine {
    let enabled: Bool
    var lastFrames = 0
    var lastTime = monotonicNs()
    var lastPlain = 0.0
    let tty = Terminal.stderrIsTTY

    init(enabled: Bool) { self.enabled = enabled }

    static func summary(_ f: Feeder, rate: Double?) -> String {
        let snaps = f.runners.map(\.snapshot)
        let p = f.poster.snapshot
        let frames = snaps.map(\.stats.inputs).reduce(0, +)
        let aircraft = snaps.map(\.stats.aircraft).reduce(0, +)
        var rejects: [FeedReject: Int] = [:]
        for s in snaps { for (k, v) in s.stats.rejects { rejects[k, default: 0] += v } }
        let rej = rejects.isEmpty ? "none" : rejects.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        let connected = snaps.filter(\.connected).count
        var s = ""
        if let rate { s += "\(Int(rate)) frames/s · " }
        s += "\(frames) frames · \(aircraft) aircraft · \(p.posted) posted"
        if p.outOfRange + p.foreign + p.dropped > 0 { s += " (\(p.outOfRange) out of range, \(p.foreign) foreign, \(p.dropped) dropped)" }
        s += " · rejected: \(rej) · sources \(connected)/\(snaps.count) up"
        if let e = p.lastError ?? snaps.compactMap(\.lastError).first { s += " · last error: \(e)" }
        return s
    }

    mutating func draw(_ f: Feeder) {
        guard enabled else { return }
        let now = monotonicNs()
        let frames = f.runners.map(\.snapshot.stats.inputs).reduce(0, +)
        let dt = Double(now - lastTime) / 1e9
        let rate = dt > 0 ? Double(frames - lastFrames) / dt : 0
        lastFrames = frames; lastTime = now
        let text = Self.summary(f, rate: rate)
        if tty {
            Terminal.errRaw("\r\(text)\u{1B}[K")
        } else if Double(now) / 1e9 - lastPlain >= 10 {
            lastPlain = Double(now) / 1e9
            Terminal.err(text)
        }
    }

    func finish(_ f: Feeder) {
        guard enabled else { return }
        if tty { Terminal.errRaw("\r\u{1B}[K") }
        Terminal.err(Self.summary(f, rate: nil))
    }
}

/// The feeder's counters as Prometheus metrics (swift-prometheus, descriptors).
final class FeedMetrics: @unchecked Sendable {
    let registry = PrometheusCollectorRegistry()
    private let lock = NSLock()
    private var gauges: [String: Gauge] = [:]

    private func gauge(_ name: String, _ unit: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
        let key = name + labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        if let g = gauges[key] { return g }
        let g = registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "deconflict_feed", metricName: name,
                                                                    unitName: unit, helpText: help), labels: labels)
        gauges[key] = g
        return g
    }

    /// Totals are exported as gauges set from the runners' own counters (which only grow;
    /// the values are monotonic like counters).
    func update(_ sources: [SourceSnapshot], _ poster: FeedPoster.Counters) {
        lock.lock(); defer { lock.unlock() }
        for s in sources {
            let l = [("source", s.spec)]
            gauge("frames", "total", "Frames, lines or records read", l).set(to: Double(s.stats.inputs))
            gauge("states", "total", "Aircraft states assembled", l).set(to: Double(s.stats.states))
            gauge("aircraft", "count", "Aircraft tracked", l).set(to: Double(s.stats.aircraft))
            gauge("bytes", "total", "Bytes read", l).set(to: Double(s.bytes))
            gauge("connected", "bool", "1 while the source is connected", l).set(to: s.connected ? 1 : 0)
            gauge("reconnects", "total", "Reconnections", l).set(to: Double(s.reconnects))
            gauge("corrected", "total", "Frames repaired by one-bit correction", l).set(to: Double(s.stats.corrected))
            for r in FeedReject.allCases {
                gauge("rejected", "total", "Inputs refused, by reason", l + [("reason", r.rawValue)])
                    .set(to: Double(s.stats.rejects[r, default: 0]))
            }
        }
        gauge("posted", "total", "States posted to the service", []).set(to: Double(poster.posted))
        gauge("requests", "total", "POST /v1/tracks requests answered 202", []).set(to: Double(poster.requests))
        gauge("dropped", "total", "States dropped (queue full or refused batch)", []).set(to: Double(poster.dropped))
        gauge("out_of_range", "total", "States outside the service's ranges, not sent", []).set(to: Double(poster.outOfRange))
        gauge("foreign", "total", "States of aircraft another party reports, not sent", []).set(to: Double(poster.foreign))
        gauge("post_failures", "total", "Failed requests", []).set(to: Double(poster.failures))
    }

    func serve(port: Int, refresh: @escaping @Sendable () -> Void) async throws {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            refresh()
            let text = self.registry.emitToString()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }
}

/// Which of the aircraft a party's receivers hear are its own: ICAO address blocks and
/// callsign prefixes (either matches). Empty: all of them.
struct OwnAircraftFilter: Sendable {
    var blocks: [ClosedRange<UInt32>] = []
    var prefixes: [String] = []

    init() {}

    init(addresses: String?, callsigns: String?) throws {
        for part in (addresses ?? "").split(separator: ",") {
            let ends = part.split(separator: "-", maxSplits: 1).map { UInt32($0.trimmingCharacters(in: .whitespaces), radix: 16) }
            guard ends.count >= 1, let lo = ends[0], let hi = ends.count == 2 ? ends[1] : lo, lo <= hi, hi <= 0xFF_FFFF else {
                throw ValidationError("--own-addresses: '\(part)' is not a hex address or block such as 3c0000-3fffff")
            }
            blocks.append(lo...hi)
        }
        prefixes = (callsigns ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            .filter { !$0.isEmpty }
    }

    var isEmpty: Bool { blocks.isEmpty && prefixes.isEmpty }

    func contains(_ s: AssembledState) -> Bool {
        if let a = UInt32(s.state.id, radix: 16), s.state.id.count == 6, blocks.contains(where: { $0.contains(a) }) { return true }
        if let cs = s.callsign?.uppercased(), prefixes.contains(where: { cs.hasPrefix($0) }) { return true }
        return false
    }
}
