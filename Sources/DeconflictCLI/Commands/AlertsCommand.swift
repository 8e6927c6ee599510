import Foundation
import ArgumentParser
import DeconflictCore
import DeconflictFormats

/// `deconflict alerts`: DO-365 well-clear alert levels over time (DAIDALUS semantics).
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "DO-365 well-clear alert levels, step by step, for a .daa scenario or a recorded CSV.",
        discussion: """
        .daa file (DAIDALUS): the first aircraft at each time is the ownship (or --ownship); one \
        row per time step and intruder.
        Recorded CSV (time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm[,party]): every aircraft is \
        an ownship, intruders are aircraft of other parties (all others without a party column); \
        the picture is stepped every --step-s seconds (states no older than --stale-s, projected \
        to the step); only rows with a non-zero level are written, then a per-pair episode \
        summary (to --episodes FILE, or stderr).
        Columns: time,ownship,intruder,alert_level,time_to_level1_s,time_to_level2_s,\
        time_to_level3_s,hsep_nm,vsep_ft,tcpa_s,dcpa_nm,tau_mod_s. Empty (null) times: no \
        violation predicted within the lookahead, or no such level.
        --alerter: phase1 (DO-365 Phase I, default), phase2 (terminal), noncoop, cylinder \
        (5 NM / 1000 ft, 300 s), or a config file (docs/alerting.md; FILE:NAME picks an \
        alerter of a DAIDALUS .conf).
        """
    )

    @Option(name: .shortAndLong, help: "Traffic file: .daa scenario or recorded .csv.")
    var input: String

    @Option(help: "phase1 | phase2 | noncoop | cylinder | FILE[:NAME]")
    var alerter: String = "phase1"

    @Option(help: ".daa only: the ownship id (default: the first aircraft at each time).")
    var ownship: String?

    @Option(help: "csv or jsonl.")
    var format: OutputFormat = .csv

    @Option(name: .customLong("step-s"), help: "Recorded CSV: step, seconds.")
    var stepS: Double = 1

    @Option(name: .customLong("stale-s"), help: "Recorded CSV: a track with no report for this long is dropped, seconds.")
    var staleS: Double = 10

    @Option(help: "Recorded CSV: write the per-pair episode summary to this file (default: stderr).")
    var episodes: String?

    @Flag(help: "Print timing to stderr.")
    var stats = false

    init() {}

    func validate() throws {
        if !(stepS > 0) { throw ValidationError("--step-s must be positive") }
        if !(staleS >= 0) { throw ValidationError("--stale-s must be zero or positive") }
    }

    func run() throws {
        let alerter = try AlerterOption.resolve(self.alerter)
        if input.lowercased().hasSuffix(".daa") {
            try runDaa(alerter)
        } else {
            if ownship != nil { throw AlertsError("--ownship applies to .daa files only") }
            let f = alerter.filter
            if stepS * Double(f.m - 1) > f.hysteresisTime {
                Terminal.err("warning: with --step-s \(stepS), \(f.m) updates never fit in the \(f.hysteresisTime) s hysteresis "
                      + "window of alerter \(alerter.name): no level can be output")
            }
            try runRecorded(alerter)
        }
    }

    // MARK: .daa

    func runDaa(_ alerter: Alerter) throws {
        let text: String
        do { text = try String(contentsOfFile: input, encoding: .utf8) } catch {
            throw AlertsError("\(input): cannot read: \(error.localizedDescription)")
        }
        let scenario: DaaScenario
        do { scenario = try DaaReader.parse(text) } catch { throw AlertsError("\(input): \(error)") }
        var w = RecordWriter(format: format, columns: AlertRow.columns)
        var alerting = OwnshipAlerting(alerter: alerter)
        var missingOwnship = 0
        for step in scenario.steps {
            let ownIndex: Int
            if let id = ownship {
                guard let k = step.aircraft.firstIndex(where: { $0.id == id }) else { missingOwnship += 1; continue }
                ownIndex = k
            } else {
                ownIndex = 0
            }
            let own = step.aircraft[ownIndex]
            var intruders = step.aircraft
            intruders.remove(at: ownIndex)
            for (id, a) in alerting.step(ownship: own, intruders: intruders, time: step.time) {
                w.write(AlertRow.values(time: step.time, ownship: own.id, intruder: id, a))
            }
        }
        w.finish()
        if missingOwnship > 0 {
            Terminal.err("warning: ownship \(ownship!) absent at \(missingOwnship) time steps (skipped)")
        }
    }

    // MARK: recorded CSV

    struct Episode {
        var a: String, b: String
        var start: Double, end: Double
        var maxLevel: Int, timeOfMax: Double
        var minHsep: Double, minVsepFt: Double
    }

    func runRecorded(_ alerter: Alerter) throws {
        let reader = try LineReader(path: input)
        var header: TrafficCSVHeader? = nil
        while let line = try reader.next() {
            if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
            do { header = try TrafficCSVHeader(line, lineNumber: reader.lineNumber) } catch {
                throw AlertsError("\(input): \(error)")
            }
            break
        }
        guard let header else { throw AlertsError("\(input): empty file: expected a header row") }
        guard header.layout == .recorded else {
            throw AlertsError("\(input): no time_s column: `alerts` needs a recorded file (or a .daa scenario)")
        }
        var incomplete = 0
        func nextState() throws -> (AircraftState, String?)? {
            while let line = try reader.next() {
                if line.isEmpty || line.hasPrefix("#") { continue }
                do {
                    switch try header.parse(line, lineNumber: reader.lineNumber) {
                    case .state(let s, let p): return (s, p)
                    case .incomplete: incomplete += 1
                    }
                } catch {
                    throw AlertsError("\(input): \(error)")
                }
            }
            return nil
        }

        var w = RecordWriter(format: format, columns: AlertRow.columns)
        var cycle = Cycle(detector: nil, alerter: alerter)
        var replay = Replay(step: stepS, maxAge: staleS)
        var open: [String: Episode] = [:]
        var done: [Episode] = []
        var rows = 0, steps = 0, engineTime = 0.0, maxAircraft = 0
        let wall0 = Clock.now()
        var any = false

        try replay.run(next: { let s = try nextState(); any = any || s != nil; return s }) { t, states, latest in
            maxAircraft = max(maxAircraft, states.count)
            // Without a party column every aircraft is its own party.
            let parties: [String]? = header.hasParty ? states.map { latest.parties[$0.id] ?? "\u{0}" + $0.id } : nil
            let e0 = Clock.now()
            var alerts = cycle.run(states, parties: parties, time: t).alerts
            engineTime += Clock.now() - e0
            steps += 1
            alerts.sort { (states[$0.first].id, states[$0.second].id) < (states[$1.first].id, states[$1.second].id) }
            let points = cycle.alerting!.points
            var seen = Set<String>()
            for pa in alerts {
                let o = states[pa.first], i = states[pa.second], sample = pa.sample
                let forward = PairAssessment(alerter: alerter, relative: sample.relative, level: sample.level,
                                             rawLevel: sample.rawLevel, ownAltFt: o.altFt, intruderAltFt: i.altFt)
                let rBack = TangentPlane.relative(own: points[pa.second], intruder: points[pa.first])
                let backward = PairAssessment(alerter: alerter, relative: rBack, level: sample.level, rawLevel: sample.rawLevel,
                                              ownAltFt: i.altFt, intruderAltFt: o.altFt)
                w.write(AlertRow.values(time: t, ownship: o.id, intruder: i.id, forward))
                w.write(AlertRow.values(time: t, ownship: i.id, intruder: o.id, backward))
                rows += 2
                let (a, b) = o.id < i.id ? (o.id, i.id) : (i.id, o.id)
                let key = a + "\u{0}" + b
                seen.insert(key)
                var ep = open[key] ?? Episode(a: a, b: b, start: t, end: t, maxLevel: 0, timeOfMax: t,
                                              minHsep: .infinity, minVsepFt: .infinity)
                ep.end = t
                if sample.level > ep.maxLevel { ep.maxLevel = sample.level; ep.timeOfMax = t }
                ep.minHsep = min(ep.minHsep, forward.horizontalSeparation)
                ep.minVsepFt = min(ep.minVsepFt, forward.verticalSeparationFt)
                open[key] = ep
            }
            for (key, ep) in open where !seen.contains(key) { done.append(ep); open[key] = nil }
        }
        if !any { throw AlertsError("\(input): no complete data rows") }
        w.finish()
        done.append(contentsOf: open.values)
        done.sort { ($0.start, $0.a, $0.b) < ($1.start, $1.a, $1.b) }
        try writeEpisodes(done)
        if incomplete > 0 { Terminal.err("warning: \(incomplete) rows with empty fields left out") }
        if stats {
            let wall = Clock.now() - wall0
            Terminal.err("alerts: \(steps) steps, up to \(maxAircraft) aircraft, \(rows) rows, \(done.count) episodes; "
                  + "engine \(Cell.fixed(engineTime, 3)) s, total \(Cell.fixed(wall, 3)) s")
        }
    }

    func writeEpisodes(_ eps: [Episode]) throws {
        let columns = ["aircraft_a", "aircraft_b", "start", "end", "duration_s", "max_level", "time_of_max_level",
                       "min_hsep_nm", "min_vsep_ft"]
        var handle = FileHandle.standardError
        if let path = episodes {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let h = FileHandle(forWritingAtPath: path) else { throw AlertsError("\(path): cannot create the file") }
            handle = h
        } else {
            Terminal.err("# episodes (\(eps.count))")
        }
        var w = RecordWriter(format: format, columns: columns, handle: handle)
        for e in eps {
            w.write([.string(e.a), .string(e.b), .num(e.start, 3), .num(e.end, 3), .num(e.end - e.start + stepS, 3),
                     .int(e.maxLevel), .num(e.timeOfMax, 3), .num(e.minHsep / Units.metresPerNM, 6), .num(e.minVsepFt, 1)])
        }
        w.finish()
        if episodes != nil { try? handle.close() }
    }
}
