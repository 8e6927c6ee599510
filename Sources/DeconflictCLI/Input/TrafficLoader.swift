import DeconflictCore
import DeconflictFormats

/// Loads one traffic picture from any supported file.
enum TrafficLoader {
    struct Loaded {
        var states: [AircraftState]
        var parties: [String: String]
        /// The picture's time for recorded files.
        var time: Double?
        var warnings: InputWarnings
    }

    static func picture(path: String, at: Double?, maxAge: Double, skipBad: Bool) throws -> Loaded {
        if path.lowercased().hasSuffix(".daa") {
            return try daaPicture(path: path, at: at)
        }
        let file = try TrafficFile(path: path, skipBad: skipBad)
        var latest = LatestStates()
        var lastTime = -Double.infinity
        var duplicates = 0
        var progress = ProgressBar("reading", total: file.reader.totalBytes)
        while let (s, party) = try file.nextState() {
            if file.layout == .snapshot {
                if latest.states[s.id] != nil { duplicates += 1 }
                latest.update(s, party: party)
                continue
            }
            lastTime = max(lastTime, s.time)
            if let at, s.time > at { continue }
            latest.update(s, party: party)
            progress.update(file.reader.bytesRead)
        }
        progress.finish()
        var warnings = file.warnings
        if duplicates > 0 {
            warnings.other.append("warning: \(duplicates) repeated aircraft ids in the snapshot: the last row of each was used")
        }
        if file.layout == .snapshot {
            if at != nil { warnings.other.append("warning: --at ignored: \(path) is a snapshot (no time_s column)") }
            let states = latest.states.values.sorted { $0.id < $1.id }
            return Loaded(states: states, parties: latest.parties, time: nil, warnings: warnings)
        }
        let time = at ?? lastTime
        if !time.isFinite { throw CLIError("\(path): no complete data rows") }
        let states = latest.picture(at: time, maxAge: maxAge)
        let stale = latest.count - states.count
        if stale > 0 {
            warnings.other.append("note: \(stale) aircraft had no state within --max-age-s \(Cell.fixed(maxAge, 1)) s of \(Cell.fixed(time, 3))")
        }
        return Loaded(states: states, parties: latest.parties, time: time, warnings: warnings)
    }

    /// A DAIDALUS `.daa` file: the step at `at` (default: the last step), every aircraft
    /// of it (the ownship convention does not matter to pairwise detection).
    static func daaPicture(path: String, at: Double?) throws -> Loaded {
        let reader = try LineReader(path: path)
        if reader.totalBytes > 256 << 20 { throw CLIError("\(path): larger than 256 MiB") }
        var text = ""
        while let line = try reader.next() { text += line; text += "\n" }
        let scenario: DaaScenario
        do { scenario = try DaaReader.parse(text) } catch let e as DaaReader.ParseError {
            throw InputError(line: e.line, field: e.field, message: e.message, file: path)
        }
        guard let last = scenario.steps.last else { throw CLIError("\(path): no aircraft rows") }
        var step = last
        if let at {
            guard let s = scenario.steps.last(where: { $0.time <= at }) else {
                throw CLIError("\(path): no step at or before \(at) (first step at \(scenario.steps[0].time))")
            }
            step = s
        }
        var warnings = InputWarnings()
        var seen = Set<String>(), states: [AircraftState] = []
        for a in step.aircraft where seen.insert(a.id).inserted { states.append(a) }
        if states.count < step.aircraft.count {
            warnings.other.append("warning: repeated aircraft names at time \(step.time): the first row of each was used")
        }
        return Loaded(states: states, parties: [:], time: step.time, warnings: warnings)
    }
}
