import ArgumentParser
import DeconflictCore

/// `deconflict detect`: which pairs will lose separation within the lookahead, now.
struct DetectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect conflicts in one traffic picture.",
        discussion: """
        Reads a snapshot CSV (id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm), a recorded CSV \
        (time_s first) or a DAIDALUS .daa file, and prints every pair of aircraft that will \
        come within the protected zone (default 5 NM and 1000 ft) within the lookahead \
        (default 300 s), each unordered pair once with a < b.

        For a recorded file, --at picks each aircraft's latest state at or before that time \
        (default: the file's last time), no older than --max-age-s, projected to --at.
        JSON lines: {"a","b","tcpa_s","dcpa_nm","tin_s","tout_s","los"}; a summary goes to stderr.
        """
    )

    @Option(name: .shortAndLong, help: "Traffic file: .csv (snapshot or recorded) or .daa.")
    var input: String

    @Option(help: "For recorded files: the time (epoch seconds) of the picture.")
    var at: Double?

    @Option(name: .customLong("max-age-s"), help: "For recorded files: ignore states older than this at --at, seconds.")
    var maxAgeS: Double = 10

    @OptionGroup var detection: DetectionOptions

    @Option(help: "Output: jsonl, csv or table (default: table on a terminal, jsonl otherwise).")
    var format: OutputFormat?

    @Flag(name: .customLong("skip-bad"), help: "Skip malformed lines with a counted warning instead of stopping.")
    var skipBad = false

    func validate() throws {
        if !(maxAgeS >= 0) { throw ValidationError("--max-age-s must be zero or positive") }
        if let at, !at.isFinite { throw ValidationError("--at must be a finite number of seconds") }
    }

    func run() throws {
        let loaded = try TrafficLoader.picture(path: input, at: at, maxAge: maxAgeS, skipBad: skipBad)
        let t0 = Clock.now()
        let picture = TrafficPicture(loaded.states)
        let conflicts = detection.detector.detect(picture)
        let elapsed = Clock.now() - t0
        var w = RecordWriter(format: format ?? .automatic, columns: ConflictRecord.columns)
        for c in conflicts { w.write(ConflictRecord.values(c, ids: picture.ids)) }
        w.finish()
        for line in loaded.warnings.lines { Terminal.err(line) }
        let los = conflicts.filter(\.los).count
        var summary = "aircraft \(picture.count), pairs \(conflicts.count), LoS \(los), detect \(Cell.fixed(elapsed * 1000, 2)) ms"
        if let t = loaded.time { summary += ", at \(Cell.fixed(t, 3))" }
        Terminal.err(summary)
    }
}
