import Foundation
import ArgumentParser
import DeconflictCore

/// Output formats of `deconflict alerts`.
enum AlertsFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, jsonl
}

/// A user-facing error of the alerting commands (message printed as is).
struct AlertsError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Resolves `--alerter`: a built-in name or a config file (`FILE` or `FILE:ALERTER` for a
/// multi-alerter DAIDALUS .conf).
enum AlerterOption {
    static func resolve(_ spec: String) throws -> Alerter {
        if let a = Alerter.builtIns[spec.lowercased()] { return a }
        var path = spec, select: String? = nil
        if !FileManager.default.fileExists(atPath: spec), let colon = spec.lastIndex(of: ":") {
            path = String(spec[..<colon]); select = String(spec[spec.index(after: colon)...])
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw AlertsError("--alerter \(spec): neither a built-in alerter (phase1, phase2, noncoop, cylinder) nor a file")
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw AlertsError("\(path): cannot read: \(error.localizedDescription)")
        }
        do { return try AlerterConfig.parse(text, selecting: select) } catch {
            throw AlertsError("\(path): \(error)")
        }
    }
}

/// Writes records as CSV or JSON lines to a file handle (stdout by default), buffered.
struct AlertsWriter {
    enum Value {
        case string(String), number(Double, Int), int(Int)
        /// Absent / not applicable / infinite: empty in CSV, null in JSON.
        case none

        static func num(_ v: Double?, _ decimals: Int) -> Value {
            guard let v, v.isFinite else { return .none }
            return .number(v, decimals)
        }
    }

    let format: AlertsFormat
    let columns: [String]
    let handle: FileHandle
    private var buffer = ""

    init(format: AlertsFormat, columns: [String], handle: FileHandle = .standardOutput) {
        self.format = format; self.columns = columns; self.handle = handle
        if format == .csv { buffer = columns.joined(separator: ",") + "\n" }
    }

    mutating func write(_ values: [Value]) {
        switch format {
        case .csv:
            for (k, v) in values.enumerated() {
                if k > 0 { buffer += "," }
                switch v {
                case .string(let s):
                    buffer += s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
                case .number(let d, let p): buffer += Self.fixed(d, p)
                case .int(let i): buffer += String(i)
                case .none: break
                }
            }
            buffer += "\n"
        case .jsonl:
            buffer += "{"
            for (k, v) in values.enumerated() {
                if k > 0 { buffer += "," }
                buffer += Self.quote(columns[k]) + ":"
                switch v {
                case .string(let s): buffer += Self.quote(s)
                case .number(let d, let p): buffer += Self.fixed(d, p)
                case .int(let i): buffer += String(i)
                case .none: buffer += "null"
                }
            }
            buffer += "}\n"
        }
        if buffer.utf8.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        if !buffer.isEmpty { handle.write(Data(buffer.utf8)); buffer = "" }
    }

    static func fixed(_ v: Double, _ decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", v)
        guard decimals > 0, s.contains(".") else { return s }
        var t = Substring(s)
        while t.last == "0" { t = t.dropLast() }
        if t.last == "." { t.append("0") }
        return t == "-0.0" ? "0.0" : String(t)
    }

    /// A JSON string literal (one implementation, in the core).
    static func quote(_ s: String) -> String { StrategicJSON.quote(s) }
}

/// The per-row columns of `deconflict alerts`.
enum AlertRow {
    static let columns = ["time", "ownship", "intruder", "alert_level", "time_to_level1_s", "time_to_level2_s",
                          "time_to_level3_s", "hsep_nm", "vsep_ft", "tcpa_s", "dcpa_nm", "tau_mod_s"]

    static func values(time: Double, ownship: String, intruder: String, _ a: PairAssessment) -> [AlertsWriter.Value] {
        func ttl(_ k: Int) -> AlertsWriter.Value { k < a.timeToLevel.count ? .num(a.timeToLevel[k], 3) : .none }
        return [.num(time, 3), .string(ownship), .string(intruder), .int(a.level), ttl(0), ttl(1), ttl(2),
                .num(a.horizontalSeparation / Units.metresPerNM, 6), .num(a.verticalSeparationFt, 1),
                .num(a.tcpa, 3), .num(a.dcpa / Units.metresPerNM, 6), .num(a.tauMod, 3)]
    }
}

/// Messages for the user on stderr.
enum AlertsStderr {
    static func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}

/// Monotonic seconds.
enum AlertsClock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// CPU seconds used by this process (all threads).
    static func cpu() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
