import DeconflictCore
import Foundation
import ArgumentParser

/// How rows are written: JSON lines (default when stdout is not a terminal), CSV, or an
/// aligned table (default on a terminal).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, csv, table

    static var automatic: OutputFormat { Terminal.stdoutIsTTY ? .table : .jsonl }
}

/// Writes records in one of the formats, buffering stdout writes.
struct RecordWriter {
    let format: OutputFormat
    let columns: [String]
    private var rows: [[String]] = []
    private var buffer = ""

    init(format: OutputFormat, columns: [String]) {
        self.format = format; self.columns = columns
        if format == .csv { buffer = columns.joined(separator: ",") + "\n" }
    }

    /// One record; values are already formatted JSON values (strings quoted).
    mutating func write(_ values: [JSONValue]) {
        switch format {
        case .jsonl:
            buffer += "{"
            for (k, v) in values.enumerated() {
                if k > 0 { buffer += "," }
                buffer += JSONValue.quote(columns[k]) + ":" + v.json
            }
            buffer += "}\n"
        case .csv:
            buffer += values.map(\.csv).joined(separator: ",") + "\n"
        case .table:
            rows.append(values.map(\.plain))
        }
        if buffer.utf8.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        if !buffer.isEmpty { Terminal.out(buffer); buffer = "" }
    }

    mutating func finish() {
        if format == .table {
            var widths = columns.map(\.count)
            for r in rows { for (k, v) in r.enumerated() { widths[k] = max(widths[k], v.count) } }
            func line(_ r: [String]) -> String {
                r.enumerated().map { k, v in v.padding(toLength: widths[k], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ") + "\n"
            }
            buffer += line(columns)
            for r in rows { buffer += line(r) }
            rows = []
        }
        flush()
    }
}

/// A value in an output record.
enum JSONValue {
    case string(String), number(Double, Int), int(Int), bool(Bool), null

    /// A number with `decimals` decimals (non-finite → null).
    static func num(_ v: Double, _ decimals: Int) -> JSONValue { v.isFinite ? .number(v, decimals) : .null }

    var json: String {
        switch self {
        case .string(let s): return JSONValue.quote(s)
        case .number(let v, let d): return JSONValue.fixed(v, d)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    var csv: String {
        switch self {
        case .string(let s): return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        case .null: return ""
        default: return json
        }
    }

    var plain: String {
        if case .string(let s) = self { return s }
        if case .null = self { return "-" }
        return json
    }

    static func fixed(_ v: Double, _ decimals: Int) -> String {
        let scale = pow(10.0, Double(decimals))
        let r = (v * scale).rounded() / scale
        if decimals == 0 { return String(Int(r)) }
        var s = String(r)
        if s.contains("e") { s = String(format: "%.\(decimals)f", r) }
        return s
    }

    /// A JSON string literal (one implementation, in the core).
    static func quote(_ s: String) -> String { StrategicJSON.quote(s) }
}
