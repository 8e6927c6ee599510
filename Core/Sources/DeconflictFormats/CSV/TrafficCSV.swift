import DeconflictCore

/// The two CSV traffic layouts, recognised by their header row:
/// - recorded: `time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm` (optionally `party`);
/// - snapshot: the same without `time_s` (as the BlueSky peer's `gen_traffic.py` writes).
/// Columns may come in any order; names are matched case-insensitively, and the names of
/// the `traffic` library and OpenSky exports are taken too (`timestamp`/`time`, `icao24`,
/// `latitude`, `longitude`, `altitude` or else `geoaltitude`, `groundspeed`, `track`,
/// `vertical_rate`; in ft, kt and ft/min as that library writes them). Times are epoch
/// seconds or ISO 8601 with a zone. Fields follow RFC 4180 (double quotes, `""` inside);
/// a UTF-8 byte order mark before the header is ignored.
public struct TrafficCSVHeader: Sendable, Hashable {
    public enum Layout: String, Sendable { case recorded, snapshot }

    public let layout: Layout
    let time: Int?, id: Int, lat: Int, lon: Int, alt: Int, gs: Int, trk: Int, vs: Int
    let party: Int?
    let columnCount: Int

    public var hasParty: Bool { party != nil }

    static let required = ["id", "lat", "lon", "alt_ft", "gs_kt", "trk_deg", "vs_fpm"]

    /// Other names of each column, first match wins (the `traffic` library's and OpenSky's).
    static let aliases: [String: [String]] = [
        "time_s": ["time_s", "timestamp", "time"], "id": ["id", "icao24"], "lat": ["lat", "latitude"],
        "lon": ["lon", "longitude"], "alt_ft": ["alt_ft", "altitude", "geoaltitude"],
        "gs_kt": ["gs_kt", "groundspeed"], "trk_deg": ["trk_deg", "track"], "vs_fpm": ["vs_fpm", "vertical_rate"],
    ]

    static func names(_ line: Substring) -> [String] {
        var l = line
        if l.first == "\u{FEFF}" { l = l.dropFirst() }
        return split(l).map { $0.lowercased() }
    }

    /// Reads a header row; throws naming the missing column.
    public init(_ line: Substring, lineNumber: Int = 1) throws(InputError) {
        let names = TrafficCSVHeader.names(line)
        func index(_ name: String) -> Int? {
            for alias in Self.aliases[name] ?? [name] { if let i = names.firstIndex(of: alias) { return i } }
            return nil
        }
        var found: [String: Int] = [:]
        for name in Self.required {
            guard let i = index(name) else {
                throw InputError(line: lineNumber, field: name, message:
                    "missing column '\(name)' in the header (expected time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm, time_s optional)")
            }
            found[name] = i
        }
        time = index("time_s"); party = index("party")
        layout = time == nil ? .snapshot : .recorded
        id = found["id"]!; lat = found["lat"]!; lon = found["lon"]!; alt = found["alt_ft"]!
        gs = found["gs_kt"]!; trk = found["trk_deg"]!; vs = found["vs_fpm"]!
        columnCount = names.count
    }

    /// Whether a first line looks like one of these headers.
    public static func looksLikeHeader(_ line: Substring) -> Bool {
        let names = Set(Self.names(line))
        return required.allSatisfy { r in (aliases[r] ?? [r]).contains(where: names.contains) }
    }

    /// One data row. Empty fields give `.incomplete` (real recordings have them); a
    /// malformed or out-of-range value throws naming the line and field.
    public func parse(_ line: Substring, lineNumber: Int) throws(InputError) -> TrafficRow {
        if let row = parseFast(line) { return row }
        return try parseGeneral(line, lineNumber: lineNumber)
    }

    /// Every row the reader accepts, with the error of every row it refuses.
    func parseGeneral(_ line: Substring, lineNumber: Int) throws(InputError) -> TrafficRow {
        let f = Self.split(line)
        if f.count != columnCount {
            throw InputError(line: lineNumber, message: "expected \(columnCount) fields, found \(f.count)")
        }
        let ident = f[id]
        if ident.isEmpty { throw InputError(line: lineNumber, field: "id", message: "empty aircraft id") }
        func number(_ i: Int, _ name: String) throws(InputError) -> Double? {
            let s = f[i]
            if s.isEmpty { return nil }
            guard let v = Double(s) else {
                throw InputError(line: lineNumber, field: name, message: "'\(s)' is not a number")
            }
            if !v.isFinite {
                throw InputError(line: lineNumber, field: name, message: "'\(s)' is not a finite number")
            }
            return v
        }
        var t: Double? = 0
        if let time {
            let text = f[time]
            if let iso = text.count >= 19 && text.contains("-") ? RFC3339.parse(String(text)) : nil { t = iso }
            else { t = try number(time, "time_s") }
        }
        let la = try number(lat, "lat"), lo = try number(lon, "lon")
        let al = try number(alt, "alt_ft"), g = try number(gs, "gs_kt")
        let tr = try number(trk, "trk_deg"), v = try number(vs, "vs_fpm")
        if let la, abs(la) > 90 { throw InputError(line: lineNumber, field: "lat", message: "\(la) is outside [-90, 90]") }
        if let lo, abs(lo) > 180 { throw InputError(line: lineNumber, field: "lon", message: "\(lo) is outside [-180, 180]") }
        if let g, g < 0 { throw InputError(line: lineNumber, field: "gs_kt", message: "ground speed \(g) is negative") }
        let partyName = party.map { String(f[$0]) }
        let missing = [("time_s", t), ("lat", la), ("lon", lo), ("alt_ft", al), ("gs_kt", g),
                       ("trk_deg", tr), ("vs_fpm", v)].first { $0.1 == nil }?.0
        if let missing { return .incomplete(id: String(ident), field: missing) }
        let state = AircraftState(id: String(ident), time: t!, lat: la!, lon: lo!, altFt: al!,
                                  gsKt: g!, trkDeg: tr!, vsFpm: v!)
        return .state(state, party: partyName)
    }

    /// The common case at ~10× the speed of the general path: a complete row of plain
    /// decimal numbers (no quotes, exponents, ISO times or empty fields), in range. Anything
    /// else gives nil and takes the general path, which decides exactly as before (and names
    /// the field of an error).
    func parseFast(_ line: Substring) -> TrafficRow? {
        line.utf8.withContiguousStorageIfAvailable { b -> TrafficRow? in
            var n = b.count
            if n > 0 && b[n - 1] == 13 { n -= 1 }
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * columnCount) { bounds -> TrafficRow? in
                var field = 0, start = 0
                var i = 0
                while i <= n {
                    if i == n || b[i] == UInt8(ascii: ",") {
                        guard field < columnCount else { return nil }
                        var s = start, e = i
                        while s < e && (b[s] == 32 || b[s] == 9) { s += 1 }
                        while e > s && (b[e - 1] == 32 || b[e - 1] == 9) { e -= 1 }
                        if s == e { return nil }
                        bounds[2 * field] = s; bounds[2 * field + 1] = e
                        field += 1; start = i + 1
                    } else if b[i] == UInt8(ascii: "\"") {
                        return nil
                    }
                    i += 1
                }
                guard field == columnCount else { return nil }
                func number(_ k: Int) -> Double? { Self.decimal(b, bounds[2 * k], bounds[2 * k + 1]) }
                func text(_ k: Int) -> String {
                    String(decoding: UnsafeBufferPointer(rebasing: b[bounds[2 * k]..<bounds[2 * k + 1]]), as: UTF8.self)
                }
                var t = 0.0
                if let time { guard let v = number(time) else { return nil }; t = v }
                guard let la = number(lat), abs(la) <= 90, let lo = number(lon), abs(lo) <= 180,
                      let al = number(alt), let g = number(gs), g >= 0, let tr = number(trk), let v = number(vs)
                else { return nil }
                let state = AircraftState(id: text(id), time: t, lat: la, lon: lo, altFt: al, gsKt: g, trkDeg: tr, vsFpm: v)
                return .state(state, party: party.map(text))
            }
        } ?? nil
    }

    private static let exactPowers: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                                1e13, 1e14, 1e15]

    /// `[+-]digits[.digits]` with at most 15 digits, else nil. Exact: an integer below 2^53
    /// divided by an exact power of ten is one correctly rounded operation, so the value is
    /// the one `Double(String)` gives.
    @inline(__always)
    static func decimal(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { negative = b[i] == UInt8(ascii: "-"); i += 1 }
        var m: UInt64 = 0, digits = 0, fraction = 0
        while i < end, b[i] &- 48 < 10 { m = m &* 10 &+ UInt64(b[i] &- 48); digits += 1; i += 1 }
        guard digits > 0 else { return nil }
        if i < end, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, b[i] &- 48 < 10 { m = m &* 10 &+ UInt64(b[i] &- 48); digits += 1; fraction += 1; i += 1 }
            guard fraction > 0 else { return nil }
        }
        guard i == end, digits <= 15 else { return nil }
        var v = Double(m)
        if fraction > 0 { v /= exactPowers[fraction] }
        return negative ? -v : v
    }

    /// Splits on commas, trimming spaces and a trailing carriage return; RFC 4180 quoted
    /// fields (`"a,b"`, `"say ""hi"""`) on the slow path, only when the line has a quote.
    static func split(_ line: Substring) -> [Substring] {
        var l = line
        if l.last == "\r" { l = l.dropLast() }
        if l.utf8.contains(UInt8(ascii: "\"")) { return splitQuoted(l) }
        return l.split(separator: ",", omittingEmptySubsequences: false).map { s in
            var s = s
            while s.first == " " || s.first == "\t" { s = s.dropFirst() }
            while s.last == " " || s.last == "\t" { s = s.dropLast() }
            return s
        }
    }
}

extension TrafficCSVHeader {
    static func splitQuoted(_ l: Substring) -> [Substring] {
        var out: [Substring] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var i = l.startIndex
        while i < l.endIndex {
            let c = l[i]
            if quoted {
                if c == "\"" {
                    let n = l.index(after: i)
                    if n < l.endIndex && l[n] == "\"" { field.append("\""); i = n } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.allSatisfy({ $0 == " " || $0 == "\t" }) {
                quoted = true; wasQuoted = true; field = ""
            } else if c == "," {
                out.append(Substring(wasQuoted ? field : trimmed(field))); field = ""; wasQuoted = false
            } else { field.append(c) }
            i = l.index(after: i)
        }
        out.append(Substring(wasQuoted ? field : trimmed(field)))
        return out
    }

    static func trimmed(_ s: String) -> String {
        var t = Substring(s)
        while t.first == " " || t.first == "\t" { t = t.dropFirst() }
        while t.last == " " || t.last == "\t" { t = t.dropLast() }
        return String(t)
    }
}

/// One parsed data row.
public enum TrafficRow: Sendable, Hashable {
    case state(AircraftState, party: String?)
    /// A row with an empty field: the aircraft is left out of this time, with a warning.
    case incomplete(id: String, field: String)
}
