import ArgumentParser
import DeconflictCore
import DeconflictServer
import Foundation

/// `deconflict load`: drives a running server over loopback with synthetic traffic from
/// several parties, and measures the accepted report rate and the alert latency from
/// the POST of the report that raised an alert to its push on the WebSocket.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load-test a running server (loopback only).",
        discussion: """
        Registers parties load-0…load-(P-1) in the server's data directory (--data, the one the
        server uses), streams their events, and posts N aircraft's reports at R reports/s for S
        seconds in batches. Reports the accepted rate and alert latency percentiles.
        """
    )

    @Option(help: "Server URL (loopback only).") var url: String = "http://127.0.0.1:8080"
    @Option(help: "Number of parties.") var parties: Int = 2
    @Option(help: "Number of live aircraft (shared among the parties).") var aircraft: Int = 1000
    @Option(help: "Reports per second, all parties together (default: one per aircraft per second).") var rate: Double?
    @Option(help: "Duration, seconds.") var seconds: Double = 10
    @Option(help: "Largest batch per POST.") var batch: Int = 5000
    @Option(help: "Traffic seed.") var seed: UInt64 = 42
    @Option(help: "Traffic region: dense (600 km box) or continental (3000 km).") var region: String = "dense"
    @Option(help: "Conflict-making reports per second: a NEW aircraft appears 10 NM from another party's aircraft, head-on at its altitude (times report → conflict push).")
    var inject: Double = 10
    @Option(help: "Seconds at the start whose conflict pushes are not timed (every aircraft is new then).")
    var warmup: Double = 5
    @OptionGroup var data: DataOptions

    func validate() throws {
        _ = try LoopbackURL(url)
        guard (1...64).contains(parties) else { throw ValidationError("--parties must be 1…64") }
        guard (1...1_000_000).contains(aircraft) else { throw ValidationError("--aircraft must be 1…1000000") }
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be in (0, 3600]") }
        guard (rate ?? 1) > 0 else { throw ValidationError("--rate must be positive") }
        guard (1...20_000).contains(batch) else { throw ValidationError("--batch must be 1…20000") }
        guard inject >= 0, inject <= 10_000 else { throw ValidationError("--inject must be 0…10000") }
        guard TrafficGenerator.Region(rawValue: region) != nil else { throw ValidationError("--region: dense or continental") }
    }

    func run() async throws {
        let target = try LoopbackURL(url)
        let perSecond = rate ?? Double(aircraft)
        var tokens: [String] = []
        for p in 0..<parties {
            tokens.append(try await PartyTokens.issue(data.url, audience: data.audience, party: "load-\(p)",
                                                      scopes: [.tracksWrite, .trafficRead], ttl: seconds + 3600))
        }
        let fleet = TrafficGenerator(region: TrafficGenerator.Region(rawValue: region)!).generate(aircraft, seed: seed)
        var byParty = [[AircraftState]](repeating: [], count: parties)
        for (k, s) in fleet.enumerated() {
            var s = s
            s.id = "L\(k % parties)-\(s.id)"
            // Level flight: the aircraft fly straight for the whole run (up to an hour), and a
            // climb or descent that long would leave the valid altitude range.
            s.vs = 0
            byParty[k % parties].append(s)
        }
        let stats = LoadStats()
        let t0 = Date().timeIntervalSince1970
        let clockStart = ContinuousClock.now
        stats.timedFrom = clockStart + .milliseconds(Int(warmup * 1000))
        let end = clockStart + .milliseconds(Int(seconds * 1000))
        FileHandle.standardError.write(Data("load: \(aircraft) aircraft, \(parties) parties, \(Int(perSecond)) reports/s for \(seconds) s → \(target.base)\n".utf8))

        // Streams first, so no alert is missed (left running until the process exits).
        let streams = tokens.map { token in
            Task(priority: .high) {   // readers first: their timestamps are the measurement
                try? await StreamReader.follow(target, token: token, skipTracks: true) { event in
                    if (event["type"] as? String) == "conflict", (event["state"] as? String) == "new",
                       let rt = event["report_time"] as? Double {
                        stats.noteConflict(reportTime: rt, byReport: (event["trigger"] as? String) == "report", at: .now)
                        return
                    }
                    guard (event["type"] as? String) == "alert", let rt = event["report_time"] as? Double else { return }
                    let level = event["level"] as? Int ?? 0, previous = event["previous_level"] as? Int ?? 0
                    stats.noteAlert(reportTime: rt, raised: level > previous, byReport: (event["trigger"] as? String) == "report", at: .now)
                }
            }
        }
        do {
            try await Task.sleep(for: .milliseconds(300))
            // Senders: each party on its own connection, ticking every 100 ms.
            await withTaskGroup(of: Void.self) { senders in
                for p in 0..<parties {
                    let mine = byParty[p], token = tokens[p], share = perSecond / Double(parties)
                    let others = parties > 1 ? byParty[(p + 1) % parties] : []
                    let injectShare = parties > 1 ? inject / Double(parties) : 0
                    let batchSize = batch
                    senders.addTask(priority: .low) {
                        let client = ApiClient(target, token: token)
                        var next = 0
                        var sentSoFar = 0, injected = 0
                        var tick = ContinuousClock.now
                        while ContinuousClock.now < end, !mine.isEmpty {
                            // What is due by now (a late tick catches up: the rate holds on average).
                            let elapsed = LoadCommand.secs(ContinuousClock.now - clockStart)
                            let n = max(0, Int(share * elapsed) - sentSoFar); sentSoFar += n
                            let ni = max(0, Int(injectShare * elapsed) - injected)
                            if n > 0 || ni > 0 {
                                let now = Date().timeIntervalSince1970
                                let time = (now * 1000).rounded() / 1000
                                var rows: [ReportJSON.Row] = []
                                rows.reserveCapacity(n + ni)
                                // New aircraft on a collision course with another party's aircraft:
                                // the report that creates the conflict (checked at once). First in the first batch.
                                for _ in 0..<ni where !others.isEmpty {
                                    let victim = others[(injected &* 7_919) % others.count]
                                        .projected(by: time - t0)
                                    let away = Units.nm(10), gs = 400.0
                                    let trk = (victim.trk + 180).truncatingRemainder(dividingBy: 360)
                                    let ahead = victim.projected(by: away / max(victim.gs, 1) / 2)   // meet halfway
                                    let rad = Units.rad(victim.trk), d = away / 2
                                    let lat = ahead.lat + Units.deg(d * cos(rad) / Units.earthRadius)
                                    let lon = ahead.lon + Units.deg(d * sin(rad) / (Units.earthRadius * cos(Units.rad(ahead.lat))))
                                    rows.append(("I\(p)-\(injected)", time, lat, Units.wrap180(lon), victim.altFt ?? Units.toFt(victim.alt),
                                                 gs, trk >= 359.995 ? 0 : trk, 0))
                                    injected += 1
                                }
                                for k in 0..<n {
                                    if k % 1000 == 999 { await Task.yield() }
                                    // Straight flight for the whole run (no teleporting back: real traffic
                                    // does not jump; new conflicts come from --inject and the traffic itself).
                                    let s = mine[next].projected(by: time - t0)
                                    next = (next + 1) % mine.count
                                    rows.append((s.id, time, s.lat, s.lon, s.altFt ?? Units.toFt(s.alt), Units.toKt(s.gs),
                                                 s.trk >= 359.995 ? 0 : s.trk, Units.toFpm(s.vs)))
                                }
                                stats.noteSend(time: time, at: .now)
                                // The injected reports go in a batch of their own, first (as a party
                                // reporting one aircraft's news would), then the rest in --batch chunks.
                                var start = 0
                                while start < rows.count {
                                    let size = start == 0 && ni > 0 ? min(ni, rows.count) : batchSize
                                    let chunk = Array(rows[start..<min(rows.count, start + size)])
                                    start += chunk.count
                                    do {
                                        let r = try await client.send(.post, "/v1/tracks", body: await ReportJSON.batch(chunk))
                                        let acc = (try? JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any])?["accepted"] as? Int ?? 0
                                        stats.noteResponse(status: r.status, reports: chunk.count, accepted: acc)
                                    } catch {
                                        stats.noteResponse(status: 0, reports: chunk.count, accepted: 0)
                                    }
                                }
                            }
                            tick = tick + .milliseconds(100)
                            if tick > ContinuousClock.now { try? await Task.sleep(until: tick) } else { tick = ContinuousClock.now }
                        }
                        await client.close()
                    }
                }
                // The server's resident memory from /metrics, every 10 s (and at the start).
                senders.addTask {
                    let client = ApiClient(target, token: "")
                    while true {
                        if let r = try? await client.send(.get, "/metrics"), r.status == 200,
                           let line = r.body.split(separator: "\n").first(where: { $0.hasPrefix("deconflict_process_resident_bytes ") }),
                           let v = Double(line.split(separator: " ").last ?? "") {
                            stats.noteMemory(seconds: LoadCommand.secs(ContinuousClock.now - clockStart), bytes: v)
                        }
                        if ContinuousClock.now >= end { break }
                        try? await Task.sleep(until: min(end, ContinuousClock.now + .seconds(10)))
                    }
                    await client.close()
                }
                senders.addTask {
                    while ContinuousClock.now < end {
                        try? await Task.sleep(for: .milliseconds(500))
                        Progress.draw(done: ContinuousClock.now - clockStart, total: seconds, stats: stats.snapshot())
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(1500))  // trailing alerts
        }
        for s in streams { s.cancel() }
        FileHandle.standardError.write(Data("\n".utf8))
        let elapsed = min(seconds, Self.secs(ContinuousClock.now - clockStart))
        let s = stats.snapshot()
        let lat = stats.finalLatencies()
        print("sent \(s.sent) reports, accepted \(s.accepted) (\(Int(Double(s.accepted) / elapsed)) reports/s over \(String(format: "%.1f", elapsed)) s), failed batches \(s.failed), HTTP \(stats.finalStatus().sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "))")
        let mem = stats.memorySamples()
        if let first = mem.first, let last = mem.last {
            let mb = { (b: Double) in String(format: "%.0f", b / 1_048_576) }
            print("server resident memory MB: at \(Int(first.0)) s \(mb(first.1)), at \(Int(last.0)) s \(mb(last.1)), max \(mb(mem.map(\.1).max() ?? 0)); samples: "
                  + mem.map { "\(Int($0.0))s=\(mb($0.1))" }.joined(separator: " "))
        }
        print("stream reconnections (server closed a stream that fell behind; resumed with since): \(StreamReader.reconnections.value)")
        print("alerts received \(s.alerts), raised alerts timed \(lat.count); new conflicts received \(stats.conflictCount()) (\(stats.warmupCount()) raised by reports in the \(Int(warmup)) s warm-up, not timed)")
        for (name, values) in [("new conflicts raised by the report itself (incremental check)", stats.finalConflictLatencies()),
                               ("raised by the report itself (incremental check)", stats.finalReportLatencies()),
                               ("all raised alerts (incl. those raised by the 1 s cycle)", lat)] where !values.isEmpty {
            let ms = { (p: Double) in String(format: "%.1f", (LoadStats.percentile(values, p) ?? 0) * 1000) }
            print("report→push latency ms, \(name), n=\(values.count): p50 \(ms(50)) p90 \(ms(90)) p99 \(ms(99)) max \(ms(100))")
        }
    }

    static func secs(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
}

/// A one-line progress bar on stderr.
enum Progress {
    static func draw(done: Duration, total: Double, stats: (sent: Int, accepted: Int, failed: Int, alerts: Int)) {
        let f = min(1, LoadCommand.secs(done) / total)
        let width = 30
        let filled = Int(f * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "\r[\(bar)] \(Int(f * 100))% sent \(stats.sent) accepted \(stats.accepted) failed \(stats.failed) alerts \(stats.alerts)   "
        FileHandle.standardError.write(Data(line.utf8))
    }
}
