import DeconflictCore
import Foundation
import DeconflictFormats

/// A strict, allocation-light parser for the body of `POST /v1/tracks` — the service's hot
/// path (Foundation's `JSONDecoder` spent ~40 µs per report here). Same rules as
/// ``TrackBatch``'s `Decodable` conformance: one top-level object with exactly `reports`, an
/// array of objects with each of the eight fields exactly once, JSON numbers for numbers, a
/// string for `aircraft`, no unknown or repeated field, no `null`. A body with a backslash
/// (an escaped string) is handed to `JSONDecoder` (see ``TrackBatch/decode(_:)``).
enum TrackBatchParser {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
    /// The body needs the general decoder (escapes).
    struct NeedsGeneralDecoder: Error {}

    /// 10^0 … 10^22, all exact in a Double.
    static let powersOf10: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { a, _ in a * 10 } }

    static let fields: [[UInt8]] = TrackReport.CodingKeys.allCases.map { Array($0.rawValue.utf8) }

    static func parse(_ b: UnsafeRawBufferPointer, maxReports: Int) throws -> [TrackReport] {
        var p = Cursor(b: b)
        p.ws()
        try p.expect(UInt8(ascii: "{"), "malformed JSON: expected an object")
        p.ws()
        var reports: [TrackReport]?
        if p.peek == UInt8(ascii: "}") { throw Failure(description: "missing field .reports") }
        while true {
            let key = try p.string(at: "top level")
            p.ws(); try p.expect(UInt8(ascii: ":"), "malformed JSON after \"\(key)\""); p.ws()
            guard key == "reports" else { throw Failure(description: "unknown field '\(key)'") }
            guard reports == nil else { throw Failure(description: "repeated field 'reports'") }
            reports = try array(&p, maxReports: maxReports)
            p.ws()
            if p.peek == UInt8(ascii: ",") { p.i += 1; p.ws(); continue }
            try p.expect(UInt8(ascii: "}"), "malformed JSON: expected , or }")
            break
        }
        p.ws()
        guard p.atEnd else { throw Failure(description: "malformed JSON: data after the object") }
        return reports ?? []
    }

    private static func array(_ p: inout Cursor, maxReports: Int) throws -> [TrackReport] {
        try p.expect(UInt8(ascii: "["), "wrong type at .reports: expected an array")
        var out: [TrackReport] = []
        p.ws()
        if p.peek == UInt8(ascii: "]") { p.i += 1; return out }
        while true {
            if out.count >= maxReports { throw TooMany() }
            out.append(try report(&p, index: out.count))
            p.ws()
            if p.peek == UInt8(ascii: ",") { p.i += 1; p.ws(); continue }
            try p.expect(UInt8(ascii: "]"), "malformed JSON in .reports: expected , or ]")
            return out
        }
    }

    struct TooMany: Error {}

    private static func report(_ p: inout Cursor, index k: Int) throws -> TrackReport {
        let at = ".reports[\(k)]"
        try p.expect(UInt8(ascii: "{"), "wrong type at \(at): expected an object")
        var seen: UInt8 = 0
        var aircraft = ""
        var num = [Double](repeating: 0, count: 8)
        p.ws()
        if p.peek != UInt8(ascii: "}") {
            while true {
                let key = try p.rawString(at: at)
                let f = fields.firstIndex { $0.elementsEqual(UnsafeRawBufferPointer(rebasing: p.b[key])) }
                p.ws(); try p.expect(UInt8(ascii: ":"), "malformed JSON in \(at)"); p.ws()
                guard let f else {
                    throw Failure(description: "unknown field '\(String(decoding: UnsafeRawBufferPointer(rebasing: p.b[key]), as: UTF8.self))' at \(at)")
                }
                let name = TrackReport.CodingKeys.allCases[f].rawValue
                if seen & (1 << f) != 0 { throw Failure(description: "repeated field \(at).\(name)") }
                seen |= 1 << f
                if p.peekLiteral("null") { throw Failure(description: "null at \(at).\(name)") }
                if f == 0 {
                    guard p.peek == UInt8(ascii: "\"") else { throw Failure(description: "wrong type at \(at).\(name): expected a string") }
                    let r = try p.rawString(at: at)
                    aircraft = String(decoding: UnsafeRawBufferPointer(rebasing: p.b[r]), as: UTF8.self)
                } else {
                    guard let x = p.number() else { throw Failure(description: "wrong type at \(at).\(name): expected a number") }
                    num[f] = x
                }
                p.ws()
                if p.peek == UInt8(ascii: ",") { p.i += 1; p.ws(); continue }
                try p.expect(UInt8(ascii: "}"), "malformed JSON in \(at): expected , or }")
                break
            }
        } else {
            p.i += 1
        }
        if seen != 0xFF {
            let missing = (0..<8).first { seen & (1 << $0) == 0 }!
            throw Failure(description: "missing field \(at).\(TrackReport.CodingKeys.allCases[missing].rawValue)")
        }
        return TrackReport(aircraft: aircraft, time: num[1], lat: num[2], lon: num[3], alt_ft: num[4],
                           gs_kt: num[5], trk_deg: num[6], vs_fpm: num[7])
    }

    struct Cursor {
        let b: UnsafeRawBufferPointer
        var i = 0
        var atEnd: Bool { i >= b.count }
        var peek: UInt8 { i < b.count ? b[i] : 0 }

        mutating func ws() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }
        mutating func expect(_ c: UInt8, _ message: @autoclosure () -> String) throws {
            guard i < b.count, b[i] == c else { throw Failure(description: message()) }
            i += 1
        }
        func peekLiteral(_ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard i + n <= b.count else { return false }
            for k in 0..<n where b[i + k] != s.utf8Start[k] { return false }
            return true
        }
        /// A string's raw bytes (between the quotes); escapes → NeedsGeneralDecoder.
        mutating func rawString(at: String) throws -> Range<Int> {
            guard peek == UInt8(ascii: "\"") else { throw Failure(description: "malformed JSON in \(at): expected a field name") }
            i += 1
            let start = i
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; return start..<(i - 1) }
                if c == UInt8(ascii: "\\") { throw NeedsGeneralDecoder() }
                if c < 0x20 { throw Failure(description: "malformed JSON: control character in a string") }
                i += 1
            }
            throw Failure(description: "malformed JSON: unterminated string")
        }
        mutating func string(at: String) throws -> String {
            let r = try rawString(at: at)
            return String(decoding: UnsafeRawBufferPointer(rebasing: b[r]), as: UTF8.self)
        }
        /// [i, j) as a plain decimal (no exponent) of at most 15 significant digits: the
        /// integer of its digits, divided by a power of ten — both exact in a Double, and IEEE
        /// division rounds correctly, so the result is the correctly rounded value (Clinger's
        /// fast path). nil otherwise (the general conversion takes over).
        func fastDecimal(_ i: Int, _ j: Int) -> Double? {
            var k = i
            let negative = b[k] == UInt8(ascii: "-")
            if negative { k += 1 }
            var mantissa: Int64 = 0, digits = 0, fraction = 0, inFraction = false
            while k < j {
                let c = b[k]
                if c == UInt8(ascii: ".") { inFraction = true; k += 1; continue }
                guard c >= 0x30, c <= 0x39 else { return nil }   // an exponent
                if mantissa != 0 || c != 0x30 { digits += 1 }
                if digits > 15 { return nil }
                mantissa = mantissa * 10 + Int64(c - 0x30)
                if inFraction { fraction += 1 }
                k += 1
            }
            guard fraction <= 22 else { return nil }
            let x = Double(mantissa) / TrackBatchParser.powersOf10[fraction]
            return negative ? -x : x
        }

        /// A JSON number (strict grammar), or nil (not a number here; nothing consumed).
        mutating func number() -> Double? {
            var j = i
            func digit(_ k: Int) -> Bool { k < b.count && b[k] >= 0x30 && b[k] <= 0x39 }
            if j < b.count, b[j] == UInt8(ascii: "-") { j += 1 }
            guard digit(j) else { return nil }
            if b[j] == 0x30 { j += 1 } else { while digit(j) { j += 1 } }
            if j < b.count, b[j] == UInt8(ascii: ".") {
                j += 1
                guard digit(j) else { return nil }
                while digit(j) { j += 1 }
            }
            if j < b.count, b[j] == UInt8(ascii: "e") || b[j] == UInt8(ascii: "E") {
                j += 1
                if j < b.count, b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-") { j += 1 }
                guard digit(j) else { return nil }
                while digit(j) { j += 1 }
            }
            // After a number: a delimiter (or the end).
            if j < b.count, !(b[j] == UInt8(ascii: ",") || b[j] == UInt8(ascii: "}") || b[j] == UInt8(ascii: "]")
                              || b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09) { return nil }
            if let x = fastDecimal(i, j) { i = j; return x }
            // Swift's Double(String) is locale-independent (C strtod would follow the process
            // locale's decimal point); a number of ≤ 15 bytes is a small string, no allocation.
            guard let x = Double(String(decoding: UnsafeRawBufferPointer(rebasing: b[i..<j]), as: UTF8.self)) else { return nil }
            i = j
            return x
        }
    }
}

extension TrackBatchParser {
    /// The general path for bodies the fast parser hands on (escaped strings): the same
    /// verdicts as the fast path — a repeated member anywhere, invalid UTF-8, an unknown
    /// field, a wrong type or a missing field is refused — by a strict tree parse (which
    /// keeps repeated members to refuse them) followed by the `Decodable` rules.
    static func decodeGeneral(_ bytes: [UInt8], maxReports: Int) throws -> TrackBatch {
        let tree: JSON
        do { tree = try JSON.parse(bytes, maxArrayLength: maxReports + 1) } catch {
            if error.message.hasPrefix("array longer") { throw TooMany() }
            throw Failure(description: "malformed JSON: \(error.description)")
        }
        if tree.hasDuplicateMembers { throw Failure(description: "repeated field") }
        if case let .array(r)? = tree["reports"], r.count > maxReports { throw TooMany() }
        return try JSONDecoder().decode(TrackBatch.self, from: Data(bytes))
    }
}
