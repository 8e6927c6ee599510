import DeconflictFormats
import Foundation

/// Where a feeder reads from, as given on the command line:
/// `beast://host:30005`, `avr://host:30002`, `sbs://host:30003?tz=UTC`, `asterix+udp://0.0.0.0:8600`
/// (a port to receive datagrams on), or a file path (format from its extension or its first
/// bytes; `?format=beast|avr|sbs|asterix|json|frames-csv` and `?tz=` override).
struct FeedSourceSpec: Sendable, CustomStringConvertible {
    enum Kind: Sendable { case tcp(host: String, port: Int), udp(host: String, port: Int), file(path: String) }
    var kind: Kind
    var input: FeedInput
    var text: String

    var description: String { text }

    /// `UTC`, `Z`, `+02:00`, `-0500`, `+2` or `local` (this machine's current offset) → seconds east of UTC.
    static func parseTimeZone(_ s: String) throws -> Int {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.uppercased() == "UTC" || t.uppercased() == "Z" || t.uppercased() == "GMT" { return 0 }
        if t.lowercased() == "local" { return TimeZone.current.secondsFromGMT() }
        guard let sign = t.first, sign == "+" || sign == "-" else {
            throw CLIError("tz=\(s): give UTC, local, or an offset such as +02:00")
        }
        let body = t.dropFirst().replacingOccurrences(of: ":", with: "")
        guard !body.isEmpty, body.count <= 4, body.allSatisfy(\.isNumber) else {
            throw CLIError("tz=\(s): give UTC, local, or an offset such as +02:00")
        }
        let h: Int, m: Int
        if body.count <= 2 { h = Int(body)!; m = 0 } else { h = Int(body.prefix(body.count - 2))!; m = Int(body.suffix(2))! }
        guard h <= 14, m < 60 else { throw CLIError("tz=\(s): offset out of range") }
        return (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
    }

    static func parse(_ text: String) throws -> FeedSourceSpec {
        if let r = text.range(of: "://") {
            let scheme = text[..<r.lowerBound].lowercased()
            guard let c = URLComponents(string: text), let host = c.host, !host.isEmpty else {
                throw CLIError("\(text): expected SCHEME://HOST:PORT")
            }
            let q = Dictionary((c.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
            switch scheme {
            case "beast": return .init(kind: .tcp(host: host, port: c.port ?? 30005), input: .beast, text: text)
            case "avr", "raw": return .init(kind: .tcp(host: host, port: c.port ?? 30002), input: .avr, text: text)
            case "sbs":
                guard let tz = q["tz"] else {
                    throw CLIError("\(text): SBS lines carry no time zone; add ?tz=UTC (readsb) or ?tz=local / ?tz=+02:00 (dump1090-fa writes local time)")
                }
                return .init(kind: .tcp(host: host, port: c.port ?? 30003), input: .sbs(utcOffsetSeconds: try parseTimeZone(tz)), text: text)
            case "asterix+udp", "asterix":
                guard let port = c.port else { throw CLIError("\(text): give the UDP port to receive on") }
                return .init(kind: .udp(host: host, port: port), input: .asterix, text: text)
            default:
                throw CLIError("\(text): unknown source scheme '\(scheme)' (beast, avr, sbs, asterix+udp, or a file path)")
            }
        }
        var path = text
        var query: [String: String] = [:]
        if let qi = text.firstIndex(of: "?") {
            path = String(text[..<qi])
            for pair in text[text.index(after: qi)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                query[kv[0]] = kv.count > 1 ? kv[1] : ""
            }
        }
        let input = try fileInput(path: path, format: query["format"], tz: query["tz"])
        return .init(kind: .file(path: path), input: input, text: text)
    }

    /// The format of a file: named, or from the extension, or from its first bytes.
    static func fileInput(path: String, format: String?, tz: String?) throws -> FeedInput {
        let offset = try tz.map(parseTimeZone)
        if let format {
            switch format.lowercased() {
            case "beast": return .beast
            case "avr", "raw": return .avr
            case "sbs", "basestation": return .sbs(utcOffsetSeconds: offset ?? 0)
            case "asterix", "ast": return .asterix
            case "json", "readsb", "aircraft-json": return .readsbJSON
            case "frames-csv", "frames": return .framesCSV
            default: throw CLIError("format=\(format): one of beast, avr, sbs, asterix, json, frames-csv")
            }
        }
        guard let fh = FileHandle(forReadingAtPath: path) else {
            throw CLIError("\(path): cannot open (\(String(cString: strerror(errno))))")
        }
        let head = [UInt8](fh.readData(ofLength: 512))
        try? fh.close()
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "bin", "beast": return .beast
        case "avr": return .avr
        case "sbs": return .sbs(utcOffsetSeconds: offset ?? 0)
        case "ast", "asterix", "ff": return .asterix
        case "json": return .readsbJSON
        default: break
        }
        if head.first == 0x1A { return .beast }
        if head.first == UInt8(ascii: "*") || head.first == UInt8(ascii: "@") { return .avr }
        let text = String(decoding: head, as: UTF8.self)
        if text.hasPrefix("MSG,") || text.hasPrefix("SEL,") || text.hasPrefix("ID,") || text.hasPrefix("AIR,") || text.hasPrefix("STA,") {
            return .sbs(utcOffsetSeconds: offset ?? 0)
        }
        if text.hasPrefix("{") { return .readsbJSON }
        if text.hasPrefix("time") || text.first?.isNumber == true { return .framesCSV }
        if let cat = head.first, [21, 48, 62, 65, 34].contains(cat) { return .asterix }
        throw CLIError("\(path): cannot tell the format from its name or first bytes; add ?format=beast|avr|sbs|asterix|json|frames-csv")
    }
}
