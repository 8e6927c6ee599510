import Crypto
import Foundation

/// The canonical ledger entry: a few lines of UTF-8 text that every party may read, holding
/// only what need-to-know allows everyone (which parties an event concerns, not what it says)
/// and a salted commitment to the full event. Byte for byte (docs/ledger.md has a vector):
///
///     deconflict.entry/v1\n
///     index <decimal>\n
///     time <RFC 3339 UTC, milliseconds, Z>\n
///     kind <event kind>\n
///     actor <party>\n
///     concerns <party> [<party>…]\n        sorted, unique, space-separated
///     commitment <base64 SHA-256("deconflict.event/v1\n" ‖ salt ‖ event)>\n
///
/// Party names and kinds are tokens: 1–64 of `A–Z a–z 0–9 . _ -` (what party names allow).
public struct LedgerEntry: Sendable, Hashable {
    public static let header = "deconflict.entry/v1"
    public var index: UInt64
    /// Milliseconds since the Unix epoch.
    public var timeMillis: Int64
    public var kind: String
    public var actor: String
    public var concerns: [String]
    public var commitment: [UInt8]

    public init(index: UInt64, timeMillis: Int64, kind: String, actor: String, concerns: [String], commitment: [UInt8]) {
        self.index = index
        self.timeMillis = timeMillis
        self.kind = kind
        self.actor = actor
        self.concerns = Array(Set(concerns)).sorted()
        self.commitment = commitment
    }

    public static func commitment(event: [UInt8], salt: [UInt8]) -> [UInt8] {
        var h = SHA256()
        h.update(data: Array("deconflict.event/v1\n".utf8))
        h.update(data: salt)
        h.update(data: event)
        return Array(h.finalize())
    }

    static func isToken(_ s: some StringProtocol) -> Bool {
        (1...64).contains(s.utf8.count) && s.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }
    }

    public var bytes: [UInt8] {
        Array("""
        \(Self.header)
        index \(index)
        time \(Self.rfc3339(timeMillis))
        kind \(kind)
        actor \(actor)
        concerns \(concerns.joined(separator: " "))
        commitment \(Data(commitment).base64EncodedString())

        """.utf8)
    }

    /// Parses an entry, refusing any spelling but the canonical one.
    public init(bytes: [UInt8]) throws(LedgerError) {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func field(_ i: Int, _ name: String) throws(LedgerError) -> Substring {
            guard lines.count > i, lines[i].hasPrefix(name + " ") else { throw .malformed("entry: line \(i + 1) must be '\(name) …'") }
            return lines[i].dropFirst(name.count + 1)
        }
        guard lines.count == 8, lines[0] == Substring(Self.header), lines[7].isEmpty else { throw .malformed("entry: not a \(Self.header) record") }
        guard let index = UInt64(try field(1, "index")) else { throw .malformed("entry: bad index") }
        guard let t = Self.parseRFC3339(try field(2, "time")) else { throw .malformed("entry: bad time") }
        let kind = try field(3, "kind"), actor = try field(4, "actor")
        let concerns = try field(5, "concerns").split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard Self.isToken(kind), Self.isToken(actor), concerns.allSatisfy(Self.isToken) else { throw .malformed("entry: bad kind, actor or concerns") }
        guard let c = Data(base64Encoded: String(try field(6, "commitment"))), c.count == 32 else { throw .malformed("entry: bad commitment") }
        self.init(index: index, timeMillis: t, kind: String(kind), actor: String(actor), concerns: concerns, commitment: Array(c))
        guard self.bytes == bytes else { throw .malformed("entry: not in canonical form") }
    }

    // Days-from-civil (H. Hinnant), so the entry's time needs no Foundation formatter.
    static func rfc3339(_ ms: Int64) -> String {
        let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let milli = ms - secs * 1000
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let sod = secs - days * 86400
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func p(_ v: Int64, _ w: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(p(y, 4))-\(p(m, 2))-\(p(d, 2))T\(p(sod / 3600, 2)):\(p(sod / 60 % 60, 2)):\(p(sod % 60, 2)).\(p(milli, 3))Z"
    }

    static func parseRFC3339(_ s: Substring) -> Int64? {
        let u = Array(s.utf8)
        guard u.count == 24, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54, u[13] == 0x3A, u[16] == 0x3A, u[19] == 0x2E, u[23] == 0x5A else { return nil }
        func n(_ a: Int, _ b: Int) -> Int64? {
            var v: Int64 = 0
            for c in u[a..<b] { guard c >= 0x30, c <= 0x39 else { return nil }; v = v * 10 + Int64(c - 0x30) }
            return v
        }
        guard let y = n(0, 4), let m = n(5, 7), let d = n(8, 10), let hh = n(11, 13), let mi = n(14, 16), let ss = n(17, 19), let ms = n(20, 23),
              (1...12).contains(m), (1...31).contains(d), hh < 24, mi < 60, ss < 60 else { return nil }
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let v = ((days * 86400 + hh * 3600 + mi * 60 + ss) * 1000) + ms
        return rfc3339(v) == String(s) ? v : nil
    }
}
