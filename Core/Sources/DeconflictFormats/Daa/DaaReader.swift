import DeconflictCore

/// Reads DAIDALUS `.daa` traffic files (text in, no I/O).
///
/// Accepted: `#` comments (whole line or trailing); parameter lines `key = value [unit]`
/// (kept in ``DaaScenario/parameters``); a header row naming the columns; an optional units
/// row (`[deg]`, `unitless`, …) right after it; comma and/or whitespace separators. Columns are
/// matched by name (case-insensitive): name, lat, lon, alt, time, and the velocity either as
/// `trk gs vs` (track deg, ground speed, vertical speed) or as `vx vy vz` (east, north, up).
/// Unknown columns are ignored; `vs`/`vz` may be missing (0); without a time column a new step
/// starts each time the first aircraft's name comes again (1 s apart). Rows of one time form
/// one step; the first aircraft of a step is the ownship. Default units, when no units row:
/// deg, ft, knot, fpm, s. Errors name the line and field.
public enum DaaReader {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var field: String
        public var message: String
        public var description: String { "line \(line), field \(field): \(message)" }
        public init(line: Int, field: String, message: String) {
            self.line = line; self.field = field; self.message = message
        }
    }

    public static func parse(_ text: String) throws -> DaaScenario {
        var scenario = DaaScenario()
        var columns: [String] = []
        var col: [String: Int] = [:]
        var factors: [Double] = []          // per column: to SI (or degrees for angles)
        var velocityIsVector = false
        var expectUnits = false
        var lineNo = 0
        var current: DaaStep? = nil
        var implicitTime = 0.0

        func fail(_ f: String, _ m: String) -> ParseError { ParseError(line: lineNo, field: f, message: m) }

        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var line = Substring(raw)
            if let h = line.firstIndex(of: "#") { line = line[..<h] }
            let body = trim(line)
            if body.isEmpty { continue }
            if body.contains("=") {
                let eq = body.firstIndex(of: "=")!
                scenario.parameters[trim(body[..<eq]).lowercased()] = trim(body[body.index(after: eq)...])
                continue
            }
            let fields = tokens(body)
            if columns.isEmpty {
                columns = fields.map { $0.lowercased() }
                for (i, c) in columns.enumerated() { col[canonical(c)] = col[canonical(c)] ?? i }
                if col["lat"] == nil, col["sx"] != nil {
                    throw fail("sx", "Euclidean (sx sy sz) files are not supported; use lat lon alt")
                }
                for req in ["name", "lat", "lon", "alt"] where col[req] == nil {
                    throw fail(req, "header lacks a `\(req)` column (header: \(fields.joined(separator: " ")))")
                }
                if col["vx"] != nil || col["vy"] != nil {
                    guard col["vx"] != nil, col["vy"] != nil else { throw fail("vx/vy", "header needs both vx and vy") }
                    velocityIsVector = true
                } else {
                    guard col["trk"] != nil, col["gs"] != nil else {
                        throw fail("trk/gs", "header needs `trk gs [vs]` or `vx vy [vz]` velocity columns")
                    }
                }
                factors = columns.map { defaultFactor(canonical($0)) }
                expectUnits = true
                continue
            }
            if expectUnits {
                expectUnits = false
                if fields.allSatisfy(isUnitToken) {
                    guard fields.count == columns.count else {
                        throw fail("units", "units row has \(fields.count) entries for \(columns.count) columns")
                    }
                    for (i, u) in fields.enumerated() {
                        let name = canonical(columns[i])
                        guard let f = unitFactor(u, for: name) else {
                            throw fail(columns[i], "unit \(u) does not fit column \(columns[i])")
                        }
                        factors[i] = f
                    }
                    continue
                }
            }
            guard fields.count == columns.count else {
                throw fail("row", "\(fields.count) fields for \(columns.count) columns")
            }
            func num(_ key: String, default d: Double? = nil) throws -> Double {
                guard let i = col[key] else {
                    if let d { return d }
                    throw fail(key, "missing column")
                }
                guard let v = Double(fields[i]), v.isFinite else {
                    throw fail(columns[i], "`\(fields[i])` is not a number")
                }
                return v * factors[i]
            }
            let name = fields[col["name"]!]
            let lat = try num("lat"), lon = try num("lon"), alt = try num("alt")
            guard (-90...90).contains(lat) else { throw fail(columns[col["lat"]!], "latitude \(lat) out of range") }
            guard (-180...360).contains(lon) else { throw fail(columns[col["lon"]!], "longitude \(lon) out of range") }
            var gs: Double, trk: Double, vs: Double
            if velocityIsVector {
                let vx = try num("vx"), vy = try num("vy")
                vs = try num("vz", default: 0)
                gs = (vx * vx + vy * vy).squareRoot()
                trk = gs > 0 ? Units.deg(atan2(vx, vy)) : 0
                if trk < 0 { trk += 360 }
            } else {
                trk = try num("trk"); gs = try num("gs"); vs = try num("vs", default: 0)
                guard gs >= 0 else { throw fail(columns[col["gs"]!], "negative ground speed") }
            }
            let time: Double
            if col["time"] != nil {
                time = try num("time")
            } else {
                if let c = current, c.aircraft.first?.id == name { implicitTime += 1 }
                time = implicitTime
            }
            let altFactor = factors[col["alt"]!]
            let altFt = altFactor == Units.metresPerFoot ? Double(fields[col["alt"]!])! : Units.toFt(alt)
            let state = AircraftState(id: name, time: time, lat: lat, lon: Units.wrap180(lon), alt: alt,
                                      gs: gs, trk: trk, vs: vs, altFt: altFt)
            if var c = current, c.time == time {
                c.aircraft.append(state); current = c
            } else {
                if let c = current {
                    if time < c.time { throw fail(columns[col["time"] ?? 0], "time \(time) goes back before \(c.time)") }
                    scenario.steps.append(c)
                }
                current = DaaStep(time: time, aircraft: [state])
            }
        }
        if let c = current { scenario.steps.append(c) }
        if columns.isEmpty { throw ParseError(line: lineNo, field: "header", message: "no header row") }
        return scenario
    }

    // MARK: helpers

    private static func trim<S: StringProtocol>(_ s: S) -> String {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let a = s.firstIndex(where: { !ws($0) }) else { return "" }
        return String(s[a...s.lastIndex(where: { !ws($0) })!])
    }

    private static func tokens(_ s: String) -> [String] {
        // Comma-separated when any comma is present (blanks around fields are trimmed),
        // otherwise blank-separated.
        if s.contains(",") {
            return s.split(separator: ",", omittingEmptySubsequences: false).map(trim)
        }
        return s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
    }

    private static func canonical(_ c: String) -> String {
        switch c.lowercased() {
        case "name", "id", "aircraft", "callsign": return "name"
        case "lat", "latitude": return "lat"
        case "lon", "long", "longitude": return "lon"
        case "alt", "altitude": return "alt"
        case "trk", "track", "heading", "hdg": return "trk"
        case "gs", "groundspeed", "ground_speed": return "gs"
        case "vs", "vertical_speed", "vspeed": return "vs"
        case "vx": return "vx"
        case "vy": return "vy"
        case "vz": return "vz"
        case "time", "tm", "t", "st", "clock": return "time"
        default: return c.lowercased()
        }
    }

    private static func defaultFactor(_ c: String) -> Double {
        switch c {
        case "alt": return Units.metresPerFoot
        case "gs", "vx", "vy": return Units.mpsPerKnot
        case "vs", "vz": return Units.mpsPerFpm
        default: return 1   // lat, lon, trk in degrees; time in s
        }
    }

    private static func isUnitToken(_ t: String) -> Bool {
        let l = t.lowercased()
        return (l.hasPrefix("[") && l.hasSuffix("]")) || l == "unitless" || l == "none" || l == "-"
    }

    /// Factor from unit `u` to the column's internal unit (SI; degrees for angles).
    private static func unitFactor(_ u: String, for c: String) -> Double? {
        var l = u.lowercased()
        if l.hasPrefix("[") && l.hasSuffix("]") { l = String(l.dropFirst().dropLast()) }
        l = trim(l)
        if l == "unitless" || l == "none" || l == "-" || l.isEmpty {
            return ["lat", "lon", "alt", "trk", "gs", "vs", "vx", "vy", "vz", "time"].contains(c) ? defaultFactor(c) : 1
        }
        switch c {
        case "lat", "lon", "trk":
            switch l { case "deg": return 1; case "rad": return 180 / Double.pi; default: return nil }
        case "alt":
            switch l { case "ft": return Units.metresPerFoot; case "m": return 1; case "km": return 1000
                       case "nmi", "nm": return Units.metresPerNM; default: return nil }
        case "gs", "vx", "vy", "vs", "vz":
            switch l {
            case "knot", "kn", "kt", "kts": return Units.mpsPerKnot
            case "m/s", "mps": return 1
            case "fpm", "ft/min": return Units.mpsPerFpm
            case "km/h", "kph": return 1000.0 / 3600.0
            case "mph": return 1609.344 / 3600.0
            default: return nil
            }
        case "time":
            switch l { case "s", "sec": return 1; case "min": return 60; case "h", "hr": return 3600
                       case "ms": return 0.001; default: return nil }
        default:
            return 1
        }
    }
}

/// A parsed `.daa` file: its parameter lines and its time steps.
public struct DaaScenario: Sendable {
    public var parameters: [String: String] = [:]
    public var steps: [DaaStep] = []
    public init() {}
}

/// The aircraft of one time step; the first is the ownship.
public struct DaaStep: Sendable {
    public var time: Double
    public var aircraft: [AircraftState]
    public init(time: Double, aircraft: [AircraftState]) { self.time = time; self.aircraft = aircraft }
}
