import ArgumentParser
import DeconflictFormats
import DeconflictServer
import Foundation

/// `deconflict bench feed`: frame in → state posted latency with many feeders at once.
struct BenchFeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Feeders on live Beast sources against a running server: frame in → state posted latency.",
        discussion: """
        Starts --feeders Beast TCP sources on loopback, each sending generated traffic of \
        --aircraft aircraft at --rate messages per second in real time (position pairs, \
        velocity, AP replies, all-calls, identification), and one feeder per source posting \
        as its own party (feed-0 … feed-N, registered in the server's --data directory) to the \
        server at --url. Measures, for every state posted, the time from the arrival of the \
        bytes that completed it at the feeder to the service's 202. JSON on stdout.
        """
    )

    @Option(help: "Server URL (loopback only).") var url: String = "http://127.0.0.1:8080"
    @Option(help: "Feeders (each with its own source and party).") var feeders: Int = 10
    @Option(help: "Messages per second per source.") var rate: Double = 5_000
    @Option(help: "Aircraft per source.") var aircraft: Int = 100
    @Option(help: "Duration, seconds.") var seconds: Double = 20
    @Option(help: "Seconds at the start not timed.") var warmup: Double = 2
    @OptionGroup var data: DataOptions

    func validate() throws {
        _ = try LoopbackURL(url)
        guard (1...64).contains(feeders) else { throw ValidationError("--feeders must be 1…64") }
        guard rate > 0, rate <= 200_000 else { throw ValidationError("--rate must be in (0, 200000]") }
        guard (1...10_000).contains(aircraft) else { throw ValidationError("--aircraft must be 1…10000") }
        guard seconds > warmup, seconds <= 3600 else { throw ValidationError("--seconds must exceed --warmup (≤ 3600)") }
    }

    func run() async throws {
        let target = try LoopbackURL(url)
        var runs: [(BeastEmitter, Feeder)] = []
        for i in 0..<feeders {
            let token = try await PartyTokens.issue(data.url, audience: data.audience, party: "feed-\(i)",
                                                    scopes: [.tracksWrite, .trafficRead], ttl: seconds + 3600)
            let feed = SyntheticFeed.random(count: aircraft, centerLat: 50, centerLon: 5, radiusDeg: 3,
                                            seed: UInt64(i + 1), firstAddress: 0x40_0000 + UInt32(i) * 0x1_0000)
            let emitter = try BeastEmitter(feed: feed, rate: rate)
            let feeder = Feeder(base: target.base, token: token,
                                specs: [try FeedSourceSpec.parse("beast://127.0.0.1:\(emitter.port)")],
                                receiver: nil, speed: 1, maxBatch: 2_000, recordLatency: true)
            runs.append((emitter, feeder))
        }
        for (e, _) in runs { e.start() }
        let all = runs.map(\.1)
        let cpu0 = Clock.cpuSeconds()
        let t0 = Clock.now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for f in all { group.addTask { try await f.run(seconds: seconds, metricsPort: 0, status: false) } }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(warmup * 1000)))
                for f in all { _ = f.poster.takeLatencies() }       // drop the warm-up samples
            }
            try await group.waitForAll()
        }
        let wall = Clock.now() - t0, cpu = Clock.cpuSeconds() - cpu0
        for (e, _) in runs { e.stop() }
        var lat = LatencyStats()
        var posted = 0, frames = 0, rejected = 0, failures = 0
        for (_, f) in runs {
            lat.merge(f.poster.takeLatencies())
            let p = f.poster.snapshot
            posted += p.posted; failures += p.failures
            for r in f.runners { frames += r.snapshot.stats.inputs; rejected += r.snapshot.stats.rejected }
        }
        func ms(_ v: Double) -> String { String(format: "%.2f", v) }
        print("""
        {"bench":"feed","feeders":\(feeders),"rate_per_feeder":\(Int(rate)),"aircraft_per_feeder":\(aircraft),\
        "seconds":\(String(format: "%.1f", wall)),"frames":\(frames),"frames_per_s":\(Int(Double(frames) / wall)),\
        "states_posted":\(posted),"posted_per_s":\(Int(Double(posted) / wall)),"rejected":\(rejected),"post_failures":\(failures),\
        "timed_states":\(lat.count),"p50_ms":\(ms(lat.percentile(50))),"p90_ms":\(ms(lat.percentile(90))),\
        "p99_ms":\(ms(lat.percentile(99))),"max_ms":\(ms(lat.percentile(100))),"client_cpu_s":\(String(format: "%.2f", cpu))}
        """)
    }
}
