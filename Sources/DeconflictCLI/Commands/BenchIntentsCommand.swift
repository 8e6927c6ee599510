import ArgumentParser
import DeconflictCore
import DeconflictStore
import Foundation

/// `deconflict bench intents`: racing writers in one hot area over a large preloaded store.
/// Prints ONE JSON object on stdout (progress goes to stderr). Scenario: IntentBenchScenario.
public struct BenchIntentsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "intents",
        abstract: "Benchmark the intent store: preload, racing writers in one hot area, area queries.",
        discussion: """
        Example: deconflict bench intents --store sqlite --writers 8 --seconds 10 --preload 1000000
        --store: sqlite (a fresh temporary directory), sqlite:DIR, postgres (DECONFLICT_PG_URL or PG* \
        variables; a fresh schema, dropped afterwards) or postgres://user@host:port/db.
        """
    )

    @Option(help: "sqlite | sqlite:DIR | postgres | postgres://URL")
    var store: String = "sqlite"
    @Option(help: "Racing writers, each rewriting its own intent in the hot area.")
    var writers: Int = 8
    @Option(help: "Seconds of racing writes.")
    var seconds: Double = 10
    @Option(help: "Intents preloaded across the continent before the run.")
    var preload: Int = 0
    @Option(help: "Radius of the writers' hot-area circles, metres (all overlap each other).")
    var hotRadius: Double = 1_000
    @Option(help: "stacked: every writer's circle overlaps every other's (worst case); spread: circles anywhere in the 10 km hot circle.")
    var layout: String = "stacked"
    @Option(help: "Area queries timed after the run.")
    var queries: Int = 2_000
    @Option(help: "SQLite durability: full (the WAL is fdatasync'ed before each acknowledgement: survives power loss) or normal (survives kill -9, not power loss).")
    var durability: String = "full"
    @Option(help: "SQLite group commit: on (default) or off (one transaction per write).")
    var groupCommit: String = "on"
    @Option(help: "Random seed.")
    var seed: UInt64 = 42
    @Flag(help: "Keep the temporary SQLite directory / PostgreSQL schema.")
    var keep = false
    @Option(help: ArgumentHelp("Append every acknowledged write to this file (kill -9 test).", visibility: .hidden))
    var ackLog: String?

    public init() {}

    public func validate() throws {
        guard (1...256).contains(writers) else { throw ValidationError("--writers must be 1...256") }
        guard seconds > 0, seconds <= 3_600 else { throw ValidationError("--seconds must be in (0, 3600]") }
        guard (0...50_000_000).contains(preload) else { throw ValidationError("--preload must be 0...50,000,000") }
        guard hotRadius >= 10, hotRadius <= 3_500 else { throw ValidationError("--hot-radius must be 10...3500 m") }
        guard ["stacked", "spread"].contains(layout) else { throw ValidationError("--layout must be stacked or spread") }
        guard queries >= 0 else { throw ValidationError("--queries must be ≥ 0") }
        guard SQLiteDurability(rawValue: durability) != nil else { throw ValidationError("--durability must be full or normal") }
        guard ["on", "off"].contains(groupCommit) else { throw ValidationError("--group-commit must be on or off") }
    }

    public func run() async throws {
        let runID = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        var location: StoreLocation
        do { location = try StoreLocation(parsing: store, dataDirectory: "\(NSTemporaryDirectory())deconflict-bench-\(runID)") }
        catch { throw ValidationError("\(error)") }
        let tempDir: String? = { if store == "sqlite", case let .sqlite(d) = location { return d } else { return nil } }()
        if case var .postgres(s) = location, !store.contains("schema=") {
            s.schema = "bench_\(runID)"
            location = .postgres(s)
        }
        let sync = SQLiteDurability(rawValue: durability)!
        let st = try await location.open(sqliteDurability: sync, groupCommit: groupCommit == "on", maxConnections: writers + 4)
        var report: [String: Any] = ["store": location.kind, "writers": writers, "seconds": seconds, "preload": preload]
        if case .sqlite = location { report["durability"] = durability; report["group_commit"] = groupCommit }
        do {
            try await runBench(st, runID: runID, into: &report)
        } catch {
            try? await cleanup(st, location, tempDir)
            throw error
        }
        try await cleanup(st, location, tempDir)
        let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    private func cleanup(_ st: any IntentStore, _ loc: StoreLocation, _ tempDir: String?) async throws {
        if !keep, let pg = st as? PostgresIntentStore { try await pg.dropSchema() }
        try await st.close()
        if !keep, let d = tempDir { try? FileManager.default.removeItem(atPath: d) }
    }

    private func runBench(_ st: any IntentStore, runID: String, into report: inout [String: Any]) async throws {
        let clock = ContinuousClock()
        // Preload.
        let existing = try await st.count()
        if preload > 0 {
            if existing >= preload {
                report["preload_reused"] = existing
            } else if existing > 0 {
                throw ValidationError("store holds \(existing) intents: preload needs an empty store (or ≥ --preload)")
            } else {
                var rng = IntentBenchScenario.Rng(state: seed)
                var bar = ProgressBar("preload", total: preload)
                let t = clock.now
                let chunk = 20_000
                for start in stride(from: 0, to: preload, by: chunk) {
                    let batch = (start..<min(start + chunk, preload)).map { IntentBenchScenario.preloadIntent($0, &rng) }
                    try await st.bulkInsert(batch)
                    bar.update(start + batch.count)
                }
                bar.finish()
                let s = (clock.now - t).milliseconds / 1_000
                report["preload_s"] = round3(s)
                report["preload_per_s"] = Int(Double(preload) / s)
            }
        }
        report["hot_radius_m"] = hotRadius
        report["layout"] = layout
        let spread = layout == "spread"
        report["rules_eval_p50_us"] = Self.rulesCost(writers: writers, radius: hotRadius, seed: seed)
        // Racing writers.
        let deadline = clock.now + .milliseconds(Int64(seconds * 1_000))
        let started = clock.now
        let cpuStarted = Clock.cpuSeconds()
        let seed = self.seed, writers = self.writers, hotRadius = self.hotRadius
        let acks = try ackLog.map { try AckLog(path: $0) }
        let outcomes = try await withThrowingTaskGroup(of: WriterOutcome.self) { group in
            for w in 0..<writers {
                group.addTask { try await Self.writer(st, w: w, runID: runID, seed: seed, radius: hotRadius, spread: spread, deadline: deadline, acks: acks) }
            }
            return try await group.reduce(into: [WriterOutcome]()) { $0.append($1) }
        }
        let elapsed = (clock.now - started).milliseconds / 1_000
        let cpu = Clock.cpuSeconds() - cpuStarted
        var puts = LatencyStats(), accepts = LatencyStats(), reads = LatencyStats()
        for o in outcomes { puts.merge(o.putLatency); accepts.merge(o.acceptLatency); reads.merge(o.readLatency) }
        let accepted = outcomes.reduce(0) { $0 + $1.accepted }
        // Lost updates: every writer's stored intent must be its last acknowledged version.
        var lost = 0
        for o in outcomes {
            let stored = try await st.get(id: o.id)
            if o.accepted == 0 {
                if stored != nil { lost += 1 } // never acknowledged, yet stored
            } else if stored?.ovn != o.lastOVN || stored?.version != o.accepted {
                lost += 1
            }
        }
        let expected = (existing >= preload ? existing : preload) + outcomes.filter { $0.accepted > 0 }.count
        let count = try await st.count()
        report["writes"] = accepted
        // CPU of this process during the race (all threads: writers, store, for SQLite the
        // database itself; a PostgreSQL server's CPU is not included).
        report["cpu_s"] = round3(cpu)
        if accepted > 0 { report["cpu_us_per_write"] = Int(cpu / Double(accepted) * 1e6) }
        report["writes_per_s"] = Int(Double(accepted) / elapsed)
        report["attempts"] = puts.count
        report["attempts_per_s"] = Int(Double(puts.count) / elapsed)
        report["refused_stale"] = outcomes.reduce(0) { $0 + $1.stale }
        report["refused_other"] = outcomes.reduce(0) { $0 + $1.otherRefusals }
        report["p50_ms"] = round3(puts.percentile(50))
        report["p99_ms"] = round3(puts.percentile(99))
        report["accept_p50_ms"] = round3(accepts.percentile(50))
        report["accept_p99_ms"] = round3(accepts.percentile(99))
        report["key_read_p50_ms"] = round3(reads.percentile(50))
        report["key_read_p99_ms"] = round3(reads.percentile(99))
        report["lost_updates"] = lost + max(0, expected - count)
        report["stored"] = count
        if let pg = st as? PostgresIntentStore {
            let c = pg.writePathCounts
            report["pg_batches_applied"] = c.applied
            report["pg_batches_changed"] = c.changed
            report["pg_batch_reads"] = c.reads
            report["pg_locked_fallbacks"] = c.fallbacks
        }
        // Remove the hot intents so that a kept store can be benchmarked again.
        for o in outcomes {
            if let ovn = o.lastOVN { _ = try await st.delete(id: o.id, ovn: ovn, writer: "bench-\(runID)-w\(o.writer)") }
        }
        // Area queries over the whole store.
        if queries > 0 {
            var rng = IntentBenchScenario.Rng(state: seed ^ 0xA5A5)
            var q = LatencyStats()
            var found = 0
            for _ in 0..<queries {
                let box = IntentBenchScenario.queryBox(&rng)
                let t = clock.now
                found += try await st.query(area: box).count
                q.add((clock.now - t).milliseconds)
            }
            report["query_p50_ms"] = round3(q.percentile(50))
            report["query_p99_ms"] = round3(q.percentile(99))
            report["query_mean_results"] = round3(Double(found) / Double(queries))
        }
    }

    /// CPU cost of one rule evaluation in the hot area (the core's pure `IntentRules.evaluate`
    /// against the other writers' intents), microseconds, median of 200: the serial part of
    /// every write that no store can avoid.
    static func rulesCost(writers: Int, radius: Double, seed: UInt64) -> Double {
        var rng = IntentBenchScenario.Rng(state: seed)
        let others = (1..<max(2, writers)).map { w in
            Intent(id: "o\(w)", owner: "w\(w)", ovn: "x\(w)", state: .accepted,
                   volumes: [IntentBenchScenario.hotVolume(writer: w, round: 0, radius: radius, &rng)])
        }
        let mine = IntentProposal(id: "me", state: .accepted, volumes: [IntentBenchScenario.hotVolume(writer: 0, round: 0, radius: radius, &rng)])
        let key = Set(others.map(\.ovn))
        let clock = ContinuousClock()
        var samples = LatencyStats()
        for _ in 0..<200 {
            let t = clock.now
            _ = IntentRules.evaluate(.create(mine, key: key), writer: "w0", current: nil, others: others)
            samples.add((clock.now - t).milliseconds * 1_000)
        }
        return (samples.percentile(50) * 10).rounded() / 10
    }

    struct WriterOutcome: Sendable {
        var id: String
        var writer: Int
        var accepted = 0, stale = 0, otherRefusals = 0
        var lastOVN: String?
        var putLatency = LatencyStats(), acceptLatency = LatencyStats(), readLatency = LatencyStats()
    }

    static func writer(_ st: any IntentStore, w: Int, runID: String, seed: UInt64, radius: Double, spread: Bool,
                       deadline: ContinuousClock.Instant, acks: AckLog?) async throws -> WriterOutcome {
        let clock = ContinuousClock()
        let owner = "bench-\(runID)-w\(w)"
        var out = WriterOutcome(id: "hot-\(runID)-\(w)", writer: w)
        var rng = IntentBenchScenario.Rng(state: seed &+ UInt64(w) &* 7_919)
        var round = 0
        rounds: while clock.now < deadline {
            round += 1
            let vol = IntentBenchScenario.hotVolume(writer: w, round: round, radius: radius, spread: spread, &rng)
            let p = IntentProposal(id: out.id, state: .accepted, priority: 0, volumes: [vol])
            let t0 = clock.now
            var key: [String: String] = [:]
            for i in try await st.conflicts(with: [vol]) where i.owner != owner { key[i.id] = i.ovn }
            out.readLatency.add((clock.now - t0).milliseconds)
            while true {
                let t = clock.now
                let r = try await st.put(p, key: Set(key.values), ovn: out.lastOVN, writer: owner)
                out.putLatency.add((clock.now - t).milliseconds)
                switch r {
                case let .accepted(i, _):
                    out.accepted += 1
                    out.lastOVN = i.ovn
                    acks?.record(id: i.id, version: i.version, ovn: i.ovn)
                    out.acceptLatency.add((clock.now - t0).milliseconds)
                    continue rounds
                case let .refused(.missingKeys(ms)):
                    out.stale += 1
                    for m in ms { key[m.intentID] = m.ovn }
                    if clock.now >= deadline { break rounds }
                default:
                    out.otherRefusals += 1
                    continue rounds
                }
            }
        }
        return out
    }

    private func round3(_ x: Double) -> Double { (x * 1_000).rounded() / 1_000 }
}

extension StoreLocation {
    var kind: String { if case .sqlite = self { return "sqlite" } else { return "postgres" } }
}

/// An append-only log of acknowledged writes ("id version ovn" per line), written with one
/// unbuffered write(2) per line so that what was acknowledged is on record even if the process
/// is killed the next instant. Used by the kill -9 durability test.
final class AckLog: Sendable {
    private let fd: Int32

    init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
    }

    func record(id: String, version: Int, ovn: String) {
        let line = Array("\(id) \(version) \(ovn)\n".utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    deinit { close(fd) }
}
