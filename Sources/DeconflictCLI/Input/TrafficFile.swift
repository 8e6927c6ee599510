import DeconflictCore
import DeconflictFormats

/// A traffic file (recorded or snapshot CSV), read as a stream of rows, with the
/// warnings real recordings deserve: empty fields counted, bad lines either an error
/// naming file, line and field, or (with `skipBad`) counted and skipped.
final class TrafficFile {
    let reader: LineReader
    let header: TrafficCSVHeader
    let skipBad: Bool
    var warnings = InputWarnings()

    init(path: String, skipBad: Bool) throws {
        reader = try LineReader(path: path)
        self.skipBad = skipBad
        // Skip blank lines and `#` comments before the header.
        while let line = try reader.next() {
            if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
            do {
                header = try TrafficCSVHeader(line, lineNumber: reader.lineNumber)
            } catch {
                var e = error; e.file = path; throw e
            }
            return
        }
        throw CLIError("\(path): empty file: expected a header row time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm (time_s optional)")
    }

    var layout: TrafficCSVHeader.Layout { header.layout }

    /// The next complete state and its party, skipping (and counting) incomplete rows.
    func nextState() throws -> (AircraftState, String?)? {
        while let line = try reader.next() {
            if line.isEmpty || line.hasPrefix("#") || line == "\r" { continue }
            do {
                switch try header.parse(line, lineNumber: reader.lineNumber) {
                case .state(let s, let party): return (s, party)
                case .incomplete(_, let field): warnings.incomplete[field, default: 0] += 1
                }
            } catch {
                var e = error; e.file = reader.path
                if !skipBad { throw e }
                warnings.skipped += 1
                if warnings.examples.count < 3 { warnings.examples.append(e.description) }
            }
        }
        return nil
    }
}

/// What was left out of a read, for the summary line.
struct InputWarnings {
    var incomplete: [String: Int] = [:]
    var skipped = 0
    var examples: [String] = []
    var other: [String] = []

    var lines: [String] {
        var out: [String] = []
        let empty = incomplete.values.reduce(0, +)
        if empty > 0 {
            let by = incomplete.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            out.append("warning: \(empty) rows with empty fields left out (\(by))")
        }
        if skipped > 0 {
            out.append("warning: \(skipped) bad lines skipped (--skip-bad), e.g. " + examples.joined(separator: "; "))
        }
        return out + other
    }
}
