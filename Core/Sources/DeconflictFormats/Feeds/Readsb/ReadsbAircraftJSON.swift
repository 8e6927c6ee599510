import DeconflictCore

/// Decoder of readsb's (and dump1090-fa's) `aircraft.json`:
/// `{"now": <epoch s>, "messages": N, "aircraft": [{"hex": "4ca2d6", ...}, ...]}`.
///
/// Per aircraft: `hex` (required), `flight`, `alt_baro` (feet, or `"ground"`), `alt_geom`,
/// `gs`, `track`, `baro_rate` (preferred) or `geom_rate`, `squawk`, `lat`, `lon`,
/// `seen_pos`, `seen`. Other keys are ignored; a `null` value counts as absent.
///
/// - A `hex` with a leading `~` is a non-ICAO address (TIS-B, anonymous): it is decoded with
///   `addressIsICAO == false` and the 24-bit value as the address (its service id is then
///   `trk<decimal>`, see `feedAircraftID`).
/// - `alt_baro: "ground"` gives `onGround == true` and no altitude. A numeric `alt_baro`
///   leaves `onGround` nil: readsb writes a number for "airborne" and for "uncertain" alike.
/// - Time: `now − seen_pos` for an aircraft with a position, `now − seen` otherwise (a
///   missing age counts as 0).
/// - Age gate: an aircraft whose position is older than ``maxPositionAge`` (`seen_pos`), or
///   without a position and not heard for longer (`seen`), is skipped and counted in
///   ``stale``.
/// - A bad entry (not an object, `hex` missing or not 6 hex digits, a mapped key of the wrong
///   type, a bad squawk, lat without lon, a negative age) is skipped and counted as
///   `.malformed`; lat/lon out of range as `.implausible`. The other entries are still decoded.
/// - A bad document (syntax, top level not an object, `now` or `aircraft` missing or of the
///   wrong type) throws a ``DecodeError`` naming the problem.
///
/// Every entry ends in exactly one of ``accepted``, ``stale`` or ``rejects``.
public struct ReadsbAircraftJSON: Sendable {
    /// Why a whole document was refused.
    public enum DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not JSON (the parser's message, line and byte offset).
        case syntax(JSON.ParseError)
        /// The top-level value is not an object (its JSON type).
        case topLevelNotObject(found: String)
        /// A required top-level key is missing.
        case missingKey(String)
        /// A top-level key has the wrong JSON type.
        case wrongType(key: String, expected: String, found: String)
        /// A top-level key has an unusable value.
        case badValue(key: String, reason: String)

        public var description: String {
            switch self {
            case let .syntax(e): return "aircraft.json: \(e.description)"
            case let .topLevelNotObject(t): return "aircraft.json: the top level is \(t == "array" ? "an" : "a") \(t), expected an object"
            case let .missingKey(k): return "aircraft.json: no \"\(k)\" key at the top level"
            case let .wrongType(k, e, f): return "aircraft.json: \"\(k)\" is \(f == "array" || f == "object" ? "an" : "a") \(f), expected \(e == "array" ? "an" : "a") \(e)"
            case let .badValue(k, r): return "aircraft.json: \"\(k)\" \(r)"
            }
        }
    }

    /// Oldest position (`seen_pos`, s) still reported; older aircraft are skipped.
    public var maxPositionAge: Double
    /// Longest array the JSON parser accepts (the aircraft list and any array inside an entry).
    public var maxArrayLength: Int

    /// Documents decoded (thrown ones excluded).
    public var documents = 0
    /// Aircraft entries seen in those documents.
    public var aircraft = 0
    /// Entries decoded into a report.
    public var accepted = 0
    /// Entries skipped because their position (or, without one, their last message) was too old.
    public var stale = 0
    /// Entries refused, by reason.
    public var rejects: [FeedReject: Int] = [:]
    /// `now` of the last document (epoch s).
    public var lastNow: Double?
    /// `messages` of the last document (receiver's running message count), when present.
    public var lastMessages: Double?

    /// A decoder skipping positions older than `maxPositionAge` seconds.
    public init(maxPositionAge: Double = 60, maxArrayLength: Int = 100_000) {
        self.maxPositionAge = maxPositionAge
        self.maxArrayLength = maxArrayLength
    }

    /// Entries refused, all reasons together.
    public var rejected: Int { rejects.values.reduce(0, +) }

    /// Decodes one `aircraft.json` document with a default decoder (counters discarded).
    public static func decode(_ bytes: [UInt8], maxPositionAge: Double = 60) throws(DecodeError) -> [TargetReport] {
        var d = ReadsbAircraftJSON(maxPositionAge: maxPositionAge)
        return try d.decode(bytes)
    }

    /// Decodes one `aircraft.json` document into one report per usable aircraft, updating the
    /// counters. Throws only for a bad document; bad entries are counted and skipped.
    public mutating func decode(_ bytes: [UInt8]) throws(DecodeError) -> [TargetReport] {
        let root: JSON
        do { root = try JSON.parse(bytes, maxArrayLength: maxArrayLength) } catch { throw .syntax(error) }
        guard case .object = root else { throw .topLevelNotObject(found: root.typeName) }
        guard let nowValue = root["now"] else { throw .missingKey("now") }
        guard case let .number(now) = nowValue else {
            throw .wrongType(key: "now", expected: "number", found: nowValue.typeName)
        }
        guard now.isFinite, now > 0 else { throw .badValue(key: "now", reason: "is not a positive epoch time (\(now))") }
        guard let list = root["aircraft"] else { throw .missingKey("aircraft") }
        guard case let .array(entries) = list else {
            throw .wrongType(key: "aircraft", expected: "array", found: list.typeName)
        }
        documents += 1
        lastNow = now
        if case let .number(m)? = root["messages"] { lastMessages = m } else { lastMessages = nil }

        var out: [TargetReport] = []
        out.reserveCapacity(entries.count)
        for entry in entries {
            aircraft += 1
            switch ReadsbAircraftJSON.entry(entry, now: now, maxAge: maxPositionAge) {
            case let .report(r): accepted += 1; out.append(r)
            case .stale: stale += 1
            case let .reject(why): rejects[why, default: 0] += 1
            }
        }
        return out
    }

    // MARK: One entry (pure)

    enum Outcome: Equatable {
        case report(TargetReport)
        case stale
        case reject(FeedReject)
    }

    struct Malformed: Error {}

    static func entry(_ value: JSON, now: Double, maxAge: Double) -> Outcome {
        guard case let .object(fields) = value else { return .reject(.malformed) }
        var report = TargetReport(address: 0, time: now, format: .readsbJSON)
        var haveHex = false
        var lat: Double?, lon: Double?, seenPos: Double?, seen: Double?
        var baroRate: Double?, geomRate: Double?
        var taken = Set<String>()
        do throws(Malformed) {
            for (key, v) in fields {
                // The first of repeated keys wins, as with `JSON`'s subscript.
                guard !taken.contains(key) else { continue }
                switch key {
                case "hex":
                    guard case let .string(s) = v,
                          let a = Array(s.utf8).withUnsafeBufferPointer({ parseAddress($0, 0..<$0.count) })
                    else { throw Malformed() }
                    report.address = a.value; report.addressIsICAO = a.isICAO
                    haveHex = true
                case "flight":
                    if let s = try string(v) {
                        let t = Array(s.utf8).withUnsafeBufferPointer { b in
                            String(decoding: UnsafeBufferPointer(rebasing: b[trimmed(b, 0..<b.count)]), as: UTF8.self)
                        }
                        report.callsign = t.isEmpty ? nil : t
                    }
                case "alt_baro":
                    switch v {
                    case .null: break
                    case let .number(n): report.altFt = n
                    case .string("ground"): report.onGround = true
                    default: throw Malformed()
                    }
                case "alt_geom": report.geoAltFt = try number(v)
                case "gs": report.gsKt = try number(v)
                case "track": report.trkDeg = try number(v)
                case "baro_rate": baroRate = try number(v)
                case "geom_rate": geomRate = try number(v)
                case "squawk":
                    if let s = try string(v) {
                        guard let sq = Array(s.utf8).withUnsafeBufferPointer({ parseSquawk($0, 0..<$0.count) })
                        else { throw Malformed() }
                        report.squawk = sq
                    }
                case "lat": lat = try number(v)
                case "lon": lon = try number(v)
                case "seen_pos": seenPos = try number(v)
                case "seen": seen = try number(v)
                default: continue
                }
                taken.insert(key)
            }
            guard haveHex, (lat == nil) == (lon == nil) else { throw Malformed() }
            if let s = seenPos, s < 0 { throw Malformed() }
            if let s = seen, s < 0 { throw Malformed() }
        } catch {
            return .reject(.malformed)
        }
        report.vsFpm = baroRate ?? geomRate
        if let la = lat, let lo = lon {
            guard la >= -90, la <= 90, lo >= -180, lo <= 180 else { return .reject(.implausible) }
            let age = seenPos ?? seen ?? 0
            if age > maxAge { return .stale }
            report.lat = la; report.lon = lo
            report.time = now - age
        } else {
            let age = seen ?? 0
            if age > maxAge { return .stale }
            report.time = now - age
        }
        return .report(report)
    }

    /// A number, or nil for `null`; any other type is malformed.
    static func number(_ v: JSON) throws(Malformed) -> Double? {
        switch v {
        case .null: return nil
        case let .number(n): return n
        default: throw Malformed()
        }
    }

    /// A string, or nil for `null`; any other type is malformed.
    static func string(_ v: JSON) throws(Malformed) -> String? {
        switch v {
        case .null: return nil
        case let .string(s): return s
        default: throw Malformed()
        }
    }
}
