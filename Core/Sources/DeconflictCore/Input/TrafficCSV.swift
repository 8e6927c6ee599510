/// The two CSV traffic layouts, recognised by their header row:
/// - recorded: `time_s,id,lat,lon,alt_ft,gs_kt,trk_deg,vs_fpm` (optionally `party`);
/// - snapshot: the same without `time_s` (as the BlueSky peer's `gen_traffic.py` writes).
/// Columns may come in any order; names are matched case-insensitively.
public struct TrafficCSVHeader: Sendable, Hashable {
    public enum Layout: String, Sendable { case recorded, snapshot }

    public let layout: Layout
    let time: Int?, id: Int, lat: Int, lon: Int, alt: Int, gs: Int, trk: Int, vs: Int
    let party: Int?
    let columnCount: Int

    public var hasParty: Bool { party != nil }

    static let required = ["id", "lat", "lon", "alt_ft", "gs_kt", "trk_deg", "vs_fpm"]

    /// Reads a header row; throws naming the missing column.
    public init(_ line: Substring, lineNumber: Int = 1) throws(InputError) {
        let names = TrafficCSVHeader.split(line).map { $0.lowercased() }
        func index(_ name: String) -> Int? { names.firstIndex(of: name) }
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
        let names = Set(split(line).map { $0.lowercased() })
        return names.isSuperset(of: required)
    }

    /// One data row. Empty fields give `.incomplete` (real recordings have them); a
    /// malformed or out-of-range value throws naming the line and field.
    public func parse(_ line: Substring, lineNumber: Int) throws(InputError) -> TrafficRow {
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
        if let time { t = try number(time, "time_s") }
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

    /// Splits on commas, trimming spaces and a trailing carriage return.
    static func split(_ line: Substring) -> [Substring] {
        var l = line
        if l.last == "\r" { l = l.dropLast() }
        return l.split(separator: ",", omittingEmptySubsequences: false).map { s in
            var s = s
            while s.first == " " || s.first == "\t" { s = s.dropFirst() }
            while s.last == " " || s.last == "\t" { s = s.dropLast() }
            return s
        }
    }
}

/// One parsed data row.
public enum TrafficRow: Sendable, Hashable {
    case state(AircraftState, party: String?)
    /// A row with an empty field: the aircraft is left out of this time, with a warning.
    case incomplete(id: String, field: String)
}
