import DeconflictCore

/// GeoJSON intents files for `deconflict intents check` (format in docs/strategic.md).
///
/// A file is a FeatureCollection or a single Feature. Each feature is one single-volume intent:
/// - geometry: `Polygon` (one exterior ring of `[lon, lat]` positions, open or closed, no holes)
///   or `Point` with property `radius_m` (a circle);
/// - properties: `party` (string), `start`/`end` (ISO 8601 with zone, or epoch seconds),
///   `alt_lower_ft`/`alt_upper_ft` (or `alt_lower_m`/`alt_upper_m`), optional `priority`
///   (integer, default 0) and `id` (string or number, default the feature index).

/// One checked feature.
public struct IntentFeature: Sendable, Hashable {
    public var file: String
    /// Index in the file's `features` array (0 for a single Feature).
    public var index: Int
    public var id: String
    public var party: String
    public var priority: Int
    public var volume: Volume4D
}

/// A precise input error: the file, and when known the feature index and property.
public struct IntentsFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var feature: Int?
    public var property: String?
    public var message: String
    public init(file: String, feature: Int? = nil, property: String? = nil, message: String) {
        self.file = file; self.feature = feature; self.property = property; self.message = message
    }
    public var description: String {
        var s = file
        if let f = feature { s += ": feature \(f)" }
        if let p = property { s += ": property '\(p)'" }
        return s + ": " + message
    }
}

public enum IntentsFile {
    /// Largest file accepted, bytes (checked before reading/parsing).
    public static let maxFileBytes = 16 << 20
    /// Most features per file.
    public static let maxFeatures = 10_000

    /// The result of reading one file: the valid features and the errors of the others.
    public struct Parsed: Sendable {
        public var features: [IntentFeature] = []
        public var errors: [IntentsFileError] = []
    }

    /// Parses and validates one file's bytes. File-level problems (size, syntax, not a
    /// FeatureCollection) are thrown; feature-level ones are collected so all are reported.
    public static func parse(_ bytes: [UInt8], file: String) throws(IntentsFileError) -> Parsed {
        guard bytes.count <= maxFileBytes else {
            throw IntentsFileError(file: file, message: "file is \(bytes.count) bytes, larger than the \(maxFileBytes)-byte limit")
        }
        let root: JSON
        // No array of a valid file is longer than the feature limit (rings: 1001 positions),
        // so longer ones are refused while parsing, before they are read to the end.
        do { root = try JSON.parse(bytes, maxArrayLength: Swift.max(maxFeatures, VolumeLimits.maxVertices + 1)) } catch {
            throw IntentsFileError(file: file, message: error.description
                + (error.message.hasPrefix("array longer") ? " (a ring has at most \(VolumeLimits.maxVertices) vertices, a file at most \(maxFeatures) features)" : ""))
        }
        guard case .object = root else {
            throw IntentsFileError(file: file, message: "top level must be a GeoJSON object, found \(root.typeName)")
        }
        var featureValues: [JSON]
        switch root["type"] {
        case .string("FeatureCollection")?:
            guard case let .array(fs)? = root["features"] else {
                throw IntentsFileError(file: file, property: "features", message: "a FeatureCollection needs a 'features' array")
            }
            featureValues = fs
        case .string("Feature")?:
            featureValues = [root]
        case let t?:
            throw IntentsFileError(file: file, property: "type", message: "expected \"FeatureCollection\" or \"Feature\", found \(describe(t))")
        case nil:
            throw IntentsFileError(file: file, property: "type", message: "missing")
        }
        guard featureValues.count <= maxFeatures else {
            throw IntentsFileError(file: file, property: "features", message: "\(featureValues.count) features, at most \(maxFeatures) allowed")
        }
        var out = Parsed()
        for (i, f) in featureValues.enumerated() {
            do { out.features.append(try feature(f, index: i, file: file)) } catch { out.errors.append(error) }
        }
        return out
    }

    static func describe(_ v: JSON) -> String {
        switch v {
        case let .string(s): return "\"\(s.prefix(40))\""
        case let .number(n): return "\(n)"
        default: return v.typeName
        }
    }

    /// One feature. `partyRequired: false` (a `PUT`, whose writer is the caller) leaves a
    /// missing `party` empty.
    public static func feature(_ f: JSON, index: Int, file: String, partyRequired: Bool = true) throws(IntentsFileError) -> IntentFeature {
        func fail(_ p: String?, _ m: String) -> IntentsFileError {
            IntentsFileError(file: file, feature: index, property: p, message: m)
        }
        guard case .object = f else { throw fail(nil, "a feature must be an object, found \(f.typeName)") }
        guard f["type"] == .string("Feature") else { throw fail("type", "must be \"Feature\"") }
        guard let props = f["properties"], case .object = props else {
            throw fail("properties", "missing or not an object")
        }
        func number(_ k: String) throws(IntentsFileError) -> Double? {
            guard let v = props[k], v != .null else { return nil }
            guard case let .number(n) = v else { throw fail(k, "must be a number, found \(describe(v))") }
            return n
        }
        // party
        var party = ""
        if let pv = props["party"], pv != .null {
            guard case let .string(p) = pv, !p.isEmpty else { throw fail("party", "must be a non-empty string") }
            guard p.utf8.count <= 128 else { throw fail("party", "longer than 128 bytes") }
            party = p
        } else if partyRequired {
            throw fail("party", "missing")
        }
        // id
        var id = String(index)
        if let iv = props["id"] ?? f["id"], iv != .null {
            switch iv {
            case let .string(s) where !s.isEmpty && s.utf8.count <= IntentLimits.maxIDLength: id = s
            case let .number(n) where n == n.rounded() && Swift.abs(n) < 1e15: id = String(Int64(n))
            default: throw fail("id", "must be a non-empty string (≤ \(IntentLimits.maxIDLength) bytes) or an integer")
            }
        }
        // priority
        var priority = 0
        if let p = try number("priority") {
            guard p == p.rounded(), Swift.abs(p) <= 1_000_000 else { throw fail("priority", "must be an integer in ±1,000,000") }
            priority = Int(p)
        }
        // times
        func time(_ k: String) throws(IntentsFileError) -> Double {
            guard let v = props[k], v != .null else { throw fail(k, "missing") }
            switch v {
            case let .number(n):
                guard n.isFinite, n >= 0, n < VolumeLimits.maxTime else { throw fail(k, "epoch seconds out of range: \(n)") }
                return n
            case let .string(s):
                guard let t = RFC3339.parse(s) else {
                    throw fail(k, "not an ISO 8601 date-time with a time zone (e.g. 2026-11-26T10:00:00Z): \"\(s.prefix(40))\"")
                }
                return t
            default: throw fail(k, "must be an ISO 8601 string or epoch seconds, found \(v.typeName)")
            }
        }
        let start = try time("start"), end = try time("end")
        // altitudes
        func altitude(_ base: String) throws(IntentsFileError) -> (Double, String) {
            let ft = try number(base + "_ft"), m = try number(base + "_m")
            switch (ft, m) {
            case let (f?, nil): return (Units.ft(f), base + "_ft")
            case let (nil, mm?): return (mm, base + "_m")
            case (nil, nil): throw fail(base + "_ft", "missing")
            case (_?, _?): throw fail(base + "_ft", "give \(base)_ft or \(base)_m, not both")
            }
        }
        let (lower, lowerKey) = try altitude("alt_lower"), (upper, upperKey) = try altitude("alt_upper")
        // geometry
        guard let g = f["geometry"], case .object = g else { throw fail("geometry", "missing or not an object") }
        let outline: Outline
        switch g["type"] {
        case .string("Polygon")?:
            guard case let .array(rings)? = g["coordinates"] else { throw fail("geometry.coordinates", "must be an array of rings") }
            guard rings.count == 1 else {
                throw fail("geometry.coordinates", rings.isEmpty ? "no ring" : "polygon holes are not supported (\(rings.count) rings)")
            }
            guard case let .array(ring) = rings[0] else { throw fail("geometry.coordinates[0]", "must be an array of positions") }
            // Count before any per-vertex work (one closing vertex allowed on top of the limit).
            guard ring.count <= VolumeLimits.maxVertices + 1 else {
                throw fail("geometry.coordinates[0]", "\(ring.count) positions, at most \(VolumeLimits.maxVertices) vertices allowed")
            }
            var pts: [LatLon] = []
            pts.reserveCapacity(ring.count)
            for (k, pos) in ring.enumerated() {
                pts.append(try position(pos, "geometry.coordinates[0][\(k)]", fail))
            }
            outline = .polygon(pts)
        case .string("Point")?:
            guard let c = g["coordinates"] else { throw fail("geometry.coordinates", "missing") }
            let center = try position(c, "geometry.coordinates", fail)
            guard let r = try number("radius_m") else { throw fail("radius_m", "missing (a Point needs a radius in metres)") }
            outline = .circle(center: center, radius: r)
        case let t?:
            throw fail("geometry.type", "expected \"Polygon\" or \"Point\", found \(describe(t))")
        case nil:
            throw fail("geometry.type", "missing")
        }
        let v = Volume4D(volume: Volume3D(outline: outline, altitudeLower: lower, altitudeUpper: upper),
                         timeStart: start, timeEnd: end)
        do { try v.validate() } catch {
            throw fail(property(of: error, lower: (lowerKey, lower), upper: upperKey, start: start, outline: outline),
                       error.description)
        }
        return IntentFeature(file: file, index: index, id: id, party: party, priority: priority, volume: v)
    }

    static func position(_ v: JSON, _ path: String,
                         _ fail: (String?, String) -> IntentsFileError) throws(IntentsFileError) -> LatLon {
        guard case let .array(a) = v, a.count >= 2, a.count <= 3 else {
            throw fail(path, "a position must be [longitude, latitude] or [longitude, latitude, altitude]")
        }
        guard case let .number(lon) = a[0], case let .number(lat) = a[1] else {
            throw fail(path, "longitude and latitude must be numbers")
        }
        return LatLon(lat: lat, lon: lon)
    }

    /// The property a validation error is about.
    static func property(of e: VolumeError, lower: (key: String, value: Double), upper: String, start: Double,
                         outline: Outline) -> String {
        let isCircle: Bool = { if case .circle = outline { return true } else { return false } }()
        switch e {
        case let .timeOutOfRange(t): return t == start ? "start" : "end"
        case .timeWindowEmpty: return "end"
        case let .nonFinite(field) where field.hasPrefix("time"): return field.hasSuffix("start") ? "start" : "end"
        case let .nonFinite(field) where field.hasPrefix("altitude"): return field.hasSuffix("lower") ? lower.key : upper
        case let .altitudeOutOfRange(a): return a == lower.value ? lower.key : upper
        case .altitudeBandEmpty: return upper
        case .radiusOutOfRange: return "radius_m"
        case let .latitudeOutOfRange(i, _), let .longitudeOutOfRange(i, _):
            return isCircle ? "geometry.coordinates" : "geometry.coordinates[0][\(i)]"
        case let .repeatedVertex(i): return "geometry.coordinates[0][\(i)]"
        default: return isCircle ? "geometry.coordinates" : "geometry.coordinates[0]"
        }
    }
}

// MARK: - Writing

extension IntentsFile {
    /// One volume of an intent as the GeoJSON Feature this file format reads (and `PUT`
    /// takes): a closed `Polygon` ring (RFC 7946) or a `Point` with `radius_m`; times in
    /// RFC 3339; pressure altitudes in feet (to 10⁻⁶ ft). `extra` properties (state, ovn, …)
    /// follow the format's own.
    public static func featureJSON(id: String, party: String?, priority: Int, volume v: Volume4D,
                                   extra: [(String, JSON)] = []) -> JSON {
        let geometry: JSON
        var props: [(String, JSON)] = [("id", .string(id))]
        if let party { props.append(("party", .string(party))) }
        props.append(("priority", .number(Double(priority))))
        switch v.volume.outline {
        case let .circle(c, r):
            geometry = .object([("type", .string("Point")), ("coordinates", .array([.number(c.lon), .number(c.lat)]))])
            props.append(("radius_m", .number(r)))
        case let .polygon(ring):
            var pts = ring
            if let first = pts.first, pts.last != first { pts.append(first) }
            geometry = .object([("type", .string("Polygon")),
                                ("coordinates", .array([.array(pts.map { .array([.number($0.lon), .number($0.lat)]) })]))])
        }
        func feet(_ m: Double) -> JSON { .number((Units.toFt(m) * 1e6).rounded() / 1e6) }
        props += [("start", .string(RFC3339.format(v.timeStart))), ("end", .string(RFC3339.format(v.timeEnd))),
                  ("alt_lower_ft", feet(v.volume.altitudeLower)), ("alt_upper_ft", feet(v.volume.altitudeUpper))]
        props += extra
        return .object([("type", .string("Feature")), ("id", .string(id)), ("geometry", geometry), ("properties", .object(props))])
    }
}
