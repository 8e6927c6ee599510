import DeconflictCore
import Foundation
import ArgumentParser
import DeconflictFormats

/// How rows are written: JSON lines (default when stdout is not a terminal), CSV, or an
/// aligned table (default on a terminal).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, csv, table

    static var automatic: OutputFormat { Terminal.stdoutIsTTY ? .table : .jsonl }
}

/// A value in an output record.
enum Cell {
    case string(String), number(Double, Int), int(Int), bool(Bool)
    /// Absent / not applicable / infinite: empty in CSV, null in JSON, `-` in a table.
    case null

    /// A number with at most `decimals` decimals (nil or non-finite → null).
    static func num(_ v: Double?, _ decimals: Int) -> Cell {
        guard let v, v.isFinite else { return .null }
        return .number(v, decimals)
    }

    /// `v` rounded to `decimals` decimals, trailing zeros dropped (one kept after the point):
    /// 42.528, 1.0, 3 (decimals 0). Never `-0`.
    static func fixed(_ v: Double, _ decimals: Int) -> String {
        var b: [UInt8] = []
        appendFixed(v, decimals, to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    private static let powers: [Double] = (0...15).map { k in (0..<k).reduce(1.0) { a, _ in a * 10 } }

    /// The formatting of ``fixed(_:_:)`` appended as bytes, by integer arithmetic (the output
    /// of `detect` and `alerts` writes millions of numbers).
    static func appendFixed(_ v: Double, _ decimals: Int, to b: inout [UInt8]) {
        let d = min(max(decimals, 0), 15)
        let scaled = (v * powers[d]).rounded()
        guard scaled.isFinite, abs(scaled) < 9e15 else {
            var s = String(format: "%.\(d)f", v)
            if d > 0, s.contains(".") { while s.last == "0" { s.removeLast() }; if s.last == "." { s += "0" } }
            b.append(contentsOf: s.utf8); return
        }
        var n = Int64(scaled)
        if n < 0 { b.append(UInt8(ascii: "-")); n = -n }
        let p = Int64(powers[d])
        appendDigits(n / p, to: &b)
        guard d > 0 else { return }
        b.append(UInt8(ascii: "."))
        var frac = n % p
        if frac == 0 { b.append(UInt8(ascii: "0")); return }
        var width = d
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var k = width - 1
        while frac > 0 { digits[k] = UInt8(ascii: "0") + UInt8(frac % 10); frac /= 10; k -= 1 }
        b.append(contentsOf: digits)
    }

    static func appendDigits(_ n: Int64, to b: inout [UInt8]) {
        if n < 10 { b.append(UInt8(ascii: "0") + UInt8(n)); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var len = 0
        var m = n
        withUnsafeMutableBytes(of: &tmp) { t in
            while m > 0 { t[len] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10; len += 1 }
            for k in stride(from: len - 1, through: 0, by: -1) { b.append(t[k]) }
        }
    }

    /// A JSON string literal; plain ASCII without quotes, backslashes or controls as is.
    static func appendJSONString(_ s: String, to b: inout [UInt8]) {
        var plain = true
        for c in s.utf8 where c < 0x20 || c >= 0x80 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { plain = false; break }
        if plain {
            b.append(UInt8(ascii: "\"")); b.append(contentsOf: s.utf8); b.append(UInt8(ascii: "\""))
        } else {
            b.append(contentsOf: JSON.quote(s).utf8)
        }
    }

    func appendJSON(to b: inout [UInt8]) {
        switch self {
        case .string(let s): Cell.appendJSONString(s, to: &b)
        case .number(let v, let d): Cell.appendFixed(v, d, to: &b)
        case .int(let i): b.append(contentsOf: String(i).utf8)
        case .bool(let x): b.append(contentsOf: (x ? "true" : "false").utf8)
        case .null: b.append(contentsOf: "null".utf8)
        }
    }

    func appendCSV(to b: inout [UInt8]) {
        switch self {
        case .string(let s):
            if s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
                b.append(UInt8(ascii: "\""))
                for c in s.utf8 { if c == UInt8(ascii: "\"") { b.append(c) }; b.append(c) }
                b.append(UInt8(ascii: "\""))
            } else {
                b.append(contentsOf: s.utf8)
            }
        case .null: break
        default: appendJSON(to: &b)
        }
    }

    var plain: String {
        switch self {
        case .string(let s): return s
        case .null: return "-"
        default:
            var b: [UInt8] = []
            appendJSON(to: &b)
            return String(decoding: b, as: UTF8.self)
        }
    }
}

/// The CLI's one output stack: records as JSON lines, CSV or a table, to stdout or a file,
/// buffered.
struct RecordWriter {
    let format: OutputFormat
    let columns: [String]
    let handle: FileHandle
    private let keys: [[UInt8]]
    private var rows: [[String]] = []
    private var buffer: [UInt8] = []

    init(format: OutputFormat, columns: [String], handle: FileHandle = .standardOutput) {
        self.format = format; self.columns = columns; self.handle = handle
        keys = columns.map { c in
            var b: [UInt8] = []
            Cell.appendJSONString(c, to: &b)
            b.append(UInt8(ascii: ":"))
            return b
        }
        buffer.reserveCapacity(1 << 17)
        if format == .csv {
            for (k, c) in columns.enumerated() {
                if k > 0 { buffer.append(UInt8(ascii: ",")) }
                Cell.string(c).appendCSV(to: &buffer)
            }
            buffer.append(UInt8(ascii: "\n"))
        }
    }

    mutating func write(_ values: [Cell]) {
        switch format {
        case .jsonl:
            buffer.append(UInt8(ascii: "{"))
            for (k, v) in values.enumerated() {
                if k > 0 { buffer.append(UInt8(ascii: ",")) }
                buffer.append(contentsOf: keys[k])
                v.appendJSON(to: &buffer)
            }
            buffer.append(contentsOf: "}\n".utf8)
        case .csv:
            for (k, v) in values.enumerated() {
                if k > 0 { buffer.append(UInt8(ascii: ",")) }
                v.appendCSV(to: &buffer)
            }
            buffer.append(UInt8(ascii: "\n"))
        case .table:
            rows.append(values.map(\.plain))
        }
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        if !buffer.isEmpty { handle.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) }
    }

    mutating func finish() {
        if format == .table {
            var widths = columns.map(\.count)
            for r in rows { for (k, v) in r.enumerated() { widths[k] = max(widths[k], v.count) } }
            func line(_ r: [String]) -> String {
                r.enumerated().map { k, v in v.padding(toLength: widths[k], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ") + "\n"
            }
            buffer.append(contentsOf: line(columns).utf8)
            for r in rows { buffer.append(contentsOf: line(r).utf8) }
            rows = []
        }
        flush()
    }
}
