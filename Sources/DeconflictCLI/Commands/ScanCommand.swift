import ArgumentParser
import DeconflictCore
import DeconflictFormats

/// `deconflict scan`: replay a recording, detect at every step, report conflict episodes.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Replay a recorded traffic file and report conflict episodes.",
        discussion: """
        Streams a recorded CSV (time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm, sorted by \
        time), keeps each aircraft's latest state, and at every multiple of --step-s detects \
        conflicts on the picture (states no older than --max-age-s, projected to the step; \
        the last step is the first at or after the last row). \
        Consecutive detections of a pair form an episode (a gap longer than --merge-gap-s \
        starts a new one). Each episode: the pair, first and last time flagged, the \
        earliest predicted time of loss of separation, the smallest predicted miss distance, \
        and the smallest separation actually observed while flagged.
        """
    )

    @Option(name: .shortAndLong, help: "Recorded traffic file (CSV with time_s).")
    var input: String

    @Option(name: .customLong("step-s"), help: "Detection interval, seconds.")
    var stepS: Double = 10

    @Option(name: .customLong("max-age-s"), help: "Leave out aircraft whose latest state is older than this, seconds.")
    var maxAgeS: Double = 10

    @Option(name: .customLong("merge-gap-s"), help: "A pair not flagged for longer than this closes its episode, seconds (default: 3 steps).")
    var mergeGapS: Double?

    @OptionGroup var detection: DetectionOptions

    @Option(help: "Output: jsonl, csv or table (default: table on a terminal, jsonl otherwise).")
    var format: OutputFormat?

    @Flag(name: .customLong("skip-bad"), help: "Skip malformed or out-of-order lines with a counted warning instead of stopping.")
    var skipBad = false

    func validate() throws {
        if !(stepS > 0 && stepS <= 86_400) { throw ValidationError("--step-s must be in (0, 86400]") }
        if !(maxAgeS >= 0) { throw ValidationError("--max-age-s must be zero or positive") }
        if let m = mergeGapS, !(m >= 0) { throw ValidationError("--merge-gap-s must be zero or positive") }
    }

    func run() throws {
        let file = try TrafficFile(path: input, skipBad: skipBad)
        guard file.layout == .recorded else {
            throw CLIError("\(input): a snapshot has no time_s column; scan needs a recording (use detect)")
        }
        var cycle = Cycle(detector: detection.detector, alerter: nil)
        var replay = Replay(step: stepS, maxAge: maxAgeS)
        var tracker = EpisodeTracker(mergeGap: mergeGapS ?? 3 * stepS)
        var progress = ProgressBar("scanning", total: file.reader.totalBytes)
        var lastRowTime = -Double.infinity
        var detectTime = 0.0, maxAircraft = 0, rows = 0, outOfOrder = 0, steps = 0
        let wall0 = Clock.now()

        func next() throws -> (AircraftState, String?)? {
            while let (s, party) = try file.nextState() {
                rows += 1
                if s.time < lastRowTime {
                    let e = InputError(line: file.reader.lineNumber, field: "time_s",
                                       message: "time \(Cell.fixed(s.time, 3)) goes back before \(Cell.fixed(lastRowTime, 3)): a recording must be sorted by time",
                                       file: input)
                    if !skipBad { throw e }
                    outOfOrder += 1; continue
                }
                lastRowTime = s.time
                progress.update(file.reader.bytesRead, detail: "\(steps) steps, \(tracker.openCount) open episodes")
                return (s, party)
            }
            return nil
        }
        try replay.run(next: next) { t, states, _ in
            let t0 = Clock.now()
            let outcome = cycle.run(states, parties: nil, time: t)
            detectTime += Clock.now() - t0
            tracker.record(time: t, conflicts: outcome.conflicts, ids: outcome.picture.ids)
            maxAircraft = max(maxAircraft, states.count)
            steps += 1
        }
        progress.finish()

        let episodes = tracker.finish()
        var w = RecordWriter(format: format ?? .automatic, columns: EpisodeRecord.columns)
        for e in episodes { w.write(EpisodeRecord.values(e)) }
        w.finish()
        var warnings = file.warnings
        if outOfOrder > 0 { warnings.other.append("warning: \(outOfOrder) out-of-order rows skipped (--skip-bad)") }
        for line in warnings.lines { Terminal.err(line) }
        let los = episodes.filter(\.losObserved).count
        Terminal.err("rows \(rows), steps \(steps), max aircraft \(maxAircraft), episodes \(episodes.count) (\(los) with observed LoS), "
            + "detect \(Cell.fixed(detectTime, 3)) s, total \(Cell.fixed(Clock.now() - wall0, 3)) s")
    }
}

/// Episode records as `scan` writes them.
enum EpisodeRecord {
    static let columns = ["a", "b", "start", "end", "start_utc", "duration_s", "steps", "min_tin_s",
                          "earliest_los", "min_dcpa_nm", "min_sep_nm", "vsep_at_min_ft", "los_observed"]

    static func values(_ e: EpisodeTracker.Episode) -> [Cell] {
        [.string(e.a), .string(e.b), .num(e.firstFlagged, 3), .num(e.lastFlagged, 3),
         .string(RFC3339.format(e.firstFlagged.rounded(.down))), .num(e.lastFlagged - e.firstFlagged, 1), .int(e.steps),
         .num(max(0, e.minTimeToLoS), 1), .num(e.earliestPredictedLoS, 1), .num(Units.toNM(e.minDcpa), 3),
         .num(Units.toNM(e.minDistance), 3), .num(Units.toFt(e.verticalAtMinDistance), 0), .bool(e.losObserved)]
    }
}
