import DeconflictCore

/// The vertical datums of the project, and the one explicit conversion between them.
///
/// Inside, every altitude of intents and tracks is a **pressure altitude** (ISA, 1013.25 hPa)
/// in metres: tracks report it (Mode S / ADS-B barometric altitude), and conformance and
/// detection compare intents with tracks in it. ASTM F3548 states its altitudes as heights
/// above the WGS-84 ellipsoid (`reference: "W84"`). The two differ by the geoid undulation
/// and the day's pressure offset, neither known to the service, so the difference is a
/// setting of the deployment (`serve --w84-offset-m`), applied here and nowhere else.
public struct AltitudeDatum: Sendable, Hashable {
    /// W84 height minus pressure altitude, metres (W84 = pressure + this). 0: taken as equal.
    public var w84MinusPressure: Double

    public init(w84MinusPressure: Double) { self.w84MinusPressure = w84MinusPressure }

    /// Heights and pressure altitudes taken as equal (the default; stated in docs/server.md).
    public static let equal = AltitudeDatum(w84MinusPressure: 0)

    public func pressure(fromW84 h: Double) -> Double { h - w84MinusPressure }
    public func w84(fromPressure a: Double) -> Double { a + w84MinusPressure }
}

/// ASTM F3548-21 `Volume4D` as JSON (InterUSS's OpenAPI): read strictly, written canonically.
///
/// ```json
/// {"volume": {"outline_polygon": {"vertices": [{"lat": 48.1, "lng": 2.1}, …]},
///             "altitude_lower": {"value": 0, "reference": "W84", "units": "M"},
///             "altitude_upper": {"value": 300, "reference": "W84", "units": "M"}},
///  "time_start": {"value": "2026-12-02T10:00:00Z", "format": "RFC3339"},
///  "time_end": {"value": "2026-12-02T11:00:00Z", "format": "RFC3339"}}
/// ```
/// `outline_circle` is `{"center": {"lat", "lng"}, "radius": {"value", "units": "M"}}`.
/// Exactly one outline; units `M` only; reference `W84` only; format `RFC3339` only.
public enum F3548Volume {
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// JSON path of the member at fault, e.g. `extents[0].volume.altitude_lower.units`.
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    // MARK: Reading

    public static func parse(_ v: JSON, path: String, datum: AltitudeDatum) throws(Error) -> Volume4D {
        let top = try members(v, path, allowed: ["volume", "time_start", "time_end"])
        let volPath = path + ".volume"
        let vol = try members(try required(top, "volume", path), volPath,
                              allowed: ["outline_polygon", "outline_circle", "altitude_lower", "altitude_upper"])
        let outline: Outline
        switch (vol["outline_polygon"], vol["outline_circle"]) {
        case let (p?, nil): outline = try polygon(p, volPath + ".outline_polygon")
        case let (nil, c?): outline = try circle(c, volPath + ".outline_circle")
        case (nil, nil): throw Error(path: volPath, message: "needs outline_polygon or outline_circle")
        case (_?, _?): throw Error(path: volPath, message: "has both outline_polygon and outline_circle: give one")
        }
        let lower = try altitude(try required(vol, "altitude_lower", volPath), volPath + ".altitude_lower")
        let upper = try altitude(try required(vol, "altitude_upper", volPath), volPath + ".altitude_upper")
        return Volume4D(volume: Volume3D(outline: outline, altitudeLower: datum.pressure(fromW84: lower),
                                         altitudeUpper: datum.pressure(fromW84: upper)),
                        timeStart: try time(try required(top, "time_start", path), path + ".time_start"),
                        timeEnd: try time(try required(top, "time_end", path), path + ".time_end"))
    }

    static func polygon(_ v: JSON, _ path: String) throws(Error) -> Outline {
        let m = try members(v, path, allowed: ["vertices"])
        guard case let .array(vs) = try required(m, "vertices", path) else {
            throw Error(path: path + ".vertices", message: "must be an array of {lat, lng}")
        }
        guard vs.count <= VolumeLimits.maxVertices + 1 else {
            throw Error(path: path + ".vertices", message: "\(vs.count) vertices, at most \(VolumeLimits.maxVertices) allowed")
        }
        var pts: [LatLon] = []
        pts.reserveCapacity(vs.count)
        for (i, p) in vs.enumerated() { pts.append(try latLng(p, path + ".vertices[\(i)]")) }
        return .polygon(pts)
    }

    static func circle(_ v: JSON, _ path: String) throws(Error) -> Outline {
        let m = try members(v, path, allowed: ["center", "radius"])
        let center = try latLng(try required(m, "center", path), path + ".center")
        let r = try members(try required(m, "radius", path), path + ".radius", allowed: ["value", "units"])
        try unit(r, path + ".radius", "units", "M")
        return .circle(center: center, radius: try number(r, "value", path + ".radius"))
    }

    static func latLng(_ v: JSON, _ path: String) throws(Error) -> LatLon {
        let m = try members(v, path, allowed: ["lat", "lng"])
        return LatLon(lat: try number(m, "lat", path), lon: try number(m, "lng", path))
    }

    static func altitude(_ v: JSON, _ path: String) throws(Error) -> Double {
        let m = try members(v, path, allowed: ["value", "reference", "units"])
        try unit(m, path, "reference", "W84")
        try unit(m, path, "units", "M")
        return try number(m, "value", path)
    }

    static func time(_ v: JSON, _ path: String) throws(Error) -> Double {
        let m = try members(v, path, allowed: ["value", "format"])
        try unit(m, path, "format", "RFC3339")
        guard case let .string(s) = try required(m, "value", path) else {
            throw Error(path: path + ".value", message: "must be an RFC 3339 string")
        }
        guard let t = RFC3339.parse(s) else {
            throw Error(path: path + ".value", message: "not an RFC 3339 date-time with a time zone: \"\(s.prefix(40))\"")
        }
        return t
    }

    // MARK: Writing

    /// The volume in F3548 form: a polygon without a closing vertex (F3548 lists vertices),
    /// heights in the W84 datum, times in RFC 3339.
    public static func json(_ v: Volume4D, datum: AltitudeDatum) -> JSON {
        let outline: (String, JSON)
        switch v.volume.outline {
        case let .circle(c, r):
            outline = ("outline_circle", .object([("center", latLng(c)),
                                                  ("radius", .object([("value", .number(r)), ("units", .string("M"))]))]))
        case let .polygon(ring):
            var pts = ring
            if pts.count > 1, pts.first == pts.last { pts.removeLast() }
            outline = ("outline_polygon", .object([("vertices", .array(pts.map(latLng)))]))
        }
        func height(_ a: Double) -> JSON {
            .object([("value", .number(datum.w84(fromPressure: a))), ("reference", .string("W84")), ("units", .string("M"))])
        }
        return .object([
            ("volume", .object([outline, ("altitude_lower", height(v.volume.altitudeLower)),
                                ("altitude_upper", height(v.volume.altitudeUpper))])),
            ("time_start", timeJSON(v.timeStart)), ("time_end", timeJSON(v.timeEnd)),
        ])
    }

    /// F3548's `Time`: `{"value": RFC 3339, "format": "RFC3339"}`.
    public static func timeJSON(_ t: Double) -> JSON {
        .object([("value", .string(RFC3339.format(t))), ("format", .string("RFC3339"))])
    }

    static func latLng(_ p: LatLon) -> JSON { .object([("lat", .number(p.lat)), ("lng", .number(p.lon))]) }

    // MARK: Members

    /// An object's members, none unknown or repeated.
    public static func members(_ v: JSON, _ path: String, allowed: Set<String>) throws(Error) -> [String: JSON] {
        guard case let .object(m) = v else { throw Error(path: path, message: "must be an object, found \(v.typeName)") }
        var out: [String: JSON] = [:]
        for (k, value) in m {
            guard allowed.contains(k) else {
                throw Error(path: path + "." + String(k.prefix(40)), message: "unknown member (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard out.updateValue(value, forKey: k) == nil else { throw Error(path: path + "." + k, message: "repeated member") }
        }
        return out
    }

    static func required(_ m: [String: JSON], _ k: String, _ path: String) throws(Error) -> JSON {
        guard let v = m[k] else { throw Error(path: path + "." + k, message: "missing") }
        return v
    }

    static func number(_ m: [String: JSON], _ k: String, _ path: String) throws(Error) -> Double {
        guard case let .number(n) = try required(m, k, path) else { throw Error(path: path + "." + k, message: "must be a number") }
        return n
    }

    static func unit(_ m: [String: JSON], _ path: String, _ k: String, _ only: String) throws(Error) {
        guard case let .string(s) = try required(m, k, path) else { throw Error(path: path + "." + k, message: "must be \"\(only)\"") }
        guard s == only else { throw Error(path: path + "." + k, message: "only \"\(only)\" is supported, found \"\(s.prefix(20))\"") }
    }
}
