import DeconflictCore
import DeconflictStore
import Foundation
import DeconflictFormats

/// The JSON shapes of `/v1/intents` (docs/server.md "Intents", docs/openapi.yaml).
///
/// Request bodies are read with the core's strict RFC 8259 reader (`JSON`): every
/// member is checked for its type, unknown and repeated members are refused, arrays are
/// bounded while parsing (a 10⁶-vertex ring is refused after its 1,001st position). Feet
/// become metres here, once; times are RFC 3339 strings, kept to the millisecond.
enum IntentJSON {
    /// Most OVNs in a `key`.
    static let maxKeys = 1000
    /// Longest OVN accepted in `key` / `ovn` (the store's are 32 hex digits).
    static let maxOVNLength = 128
    /// `priority` bounds.
    static let maxPriority = 1_000_000
    /// No array of a valid body is longer (a ring: 1,000 vertices + the closing one).
    static let maxArrayLength = max(VolumeLimits.maxVertices + 1, maxKeys)

    /// `PUT /v1/intents/{id}`, parsed and validated (volumes included).
    struct Put: Sendable {
        var state: IntentState
        var priority: Int
        var volumes: [Volume4D]
        var key: Set<String>
        /// The intent's current OVN: present for an update, absent for a create.
        var ovn: String?
        /// A GeoJSON Feature's own `party` / `id`, when it has them: they must be the
        /// caller's and the path's.
        var claimedParty: String? = nil
        var claimedID: String? = nil
    }

    /// The shape of a `PUT` body, told by its members: a GeoJSON `Feature` (`type`), ASTM
    /// F3548 parameters (`extents`), or this API's own (`volumes`).
    enum Shape: String { case native, geojson, f3548 }

    static func shape(of root: JSON) -> Shape {
        if root["type"] != nil { return .geojson }
        if root["extents"] != nil { return .f3548 }
        return .native
    }

    // MARK: Reading

    static func parsePut(_ bytes: [UInt8], datum: AltitudeDatum = .equal) throws(Problem) -> Put {
        let root: JSON
        do { root = try JSON.parse(bytes, maxArrayLength: maxArrayLength) } catch {
            let hint = error.message.hasPrefix("array longer")
                ? " (a ring has at most \(VolumeLimits.maxVertices) vertices, a key at most \(maxKeys) OVNs)" : ""
            throw Problem.badRequest(error.description + hint)
        }
        switch shape(of: root) {
        case .geojson: return try geoJSONPut(root)
        case .f3548: return try f3548Put(root, datum: datum)
        case .native: break
        }
        let top = try Members(root, "", allowed: ["state", "priority", "volumes", "key", "ovn"])
        let stateText = try top.string("state")
        guard let state = IntentState(rawValue: stateText) else {
            throw bad("state", "must be one of \(IntentState.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(stateText.prefix(40))\"")
        }
        var priority = 0
        if top["priority"] != nil { priority = try self.priority(try top.number("priority"), "priority") }
        let volumeValues = try top.array("volumes")
        guard (1...IntentLimits.maxVolumes).contains(volumeValues.count) else {
            throw bad("volumes", "an intent has 1…\(IntentLimits.maxVolumes) volumes, found \(volumeValues.count)")
        }
        var volumes: [Volume4D] = []
        volumes.reserveCapacity(volumeValues.count)
        for (i, v) in volumeValues.enumerated() { volumes.append(try volume(v, "volumes[\(i)]")) }
        return Put(state: state, priority: priority, volumes: volumes,
                   key: try key(top["key"], "key"), ovn: try ovn(top["ovn"], "ovn"))
    }

    static func priority(_ p: Double, _ path: String) throws(Problem) -> Int {
        guard p == p.rounded(), abs(p) <= Double(maxPriority) else {
            throw bad(path, "must be an integer in [-\(maxPriority), \(maxPriority)]")
        }
        return Int(p)
    }

    static func key(_ v: JSON?, _ path: String) throws(Problem) -> Set<String> {
        guard let v else { return [] }
        guard case let .array(keys) = v else { throw bad(path, "must be an array of OVNs, found \(v.typeName)") }
        // The array bound of the parser is the larger of the vertex and key limits: the
        // key's own limit is checked here.
        guard keys.count <= maxKeys else { throw bad(path, "at most \(maxKeys) OVNs, found \(keys.count)") }
        var key = Set<String>()
        for (i, k) in keys.enumerated() {
            guard case let .string(s) = k else { throw bad("\(path)[\(i)]", "must be a string (an OVN), found \(k.typeName)") }
            guard !s.isEmpty, s.utf8.count <= maxOVNLength else { throw bad("\(path)[\(i)]", "an OVN is 1…\(maxOVNLength) bytes") }
            key.insert(s)
        }
        return key
    }

    static func ovn(_ v: JSON?, _ path: String) throws(Problem) -> String? {
        guard let v else { return nil }
        guard case let .string(s) = v else { throw bad(path, "must be a string, found \(v.typeName)") }
        guard !s.isEmpty, s.utf8.count <= maxOVNLength else { throw bad(path, "an OVN is 1…\(maxOVNLength) bytes") }
        return s
    }

    /// A GeoJSON Feature as `intents check` reads it (docs/strategic.md), plus optional
    /// properties `state` (default `accepted`), `key` and `ovn`; other properties are kept
    /// by nobody and ignored, as GeoJSON allows. One feature is one single-volume intent.
    static func geoJSONPut(_ root: JSON) throws(Problem) -> Put {
        guard root["type"] == .string("Feature") else {
            throw bad("type", "a PUT takes one GeoJSON \"Feature\" (one intent); a FeatureCollection is for `deconflict intents import`")
        }
        let f: IntentFeature
        do { f = try IntentsFile.feature(root, index: 0, file: "body", partyRequired: false) } catch {
            throw Problem.badRequest("GeoJSON feature" + (error.property.map { ": property '\($0)'" } ?? "") + ": " + error.message)
        }
        let props = root["properties"] ?? .object([])
        var state = IntentState.accepted
        if let sv = props["state"], sv != .null {
            guard case let .string(text) = sv, let st = IntentState(rawValue: text) else {
                throw bad("properties.state", "must be one of \(IntentState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            state = st
        }
        var v = f.volume
        v.timeStart = canonicalTime(v.timeStart); v.timeEnd = canonicalTime(v.timeEnd)
        let hasID = props["id"].map { $0 != .null } ?? false || root["id"].map { $0 != .null } ?? false
        return Put(state: state, priority: f.priority, volumes: [v], key: try key(props["key"], "properties.key"),
                   ovn: try ovn(props["ovn"], "properties.ovn"),
                   claimedParty: f.party.isEmpty ? nil : f.party, claimedID: hasID ? f.id : nil)
    }

    /// ASTM F3548 `PutOperationalIntentReferenceParameters`, the members this service uses:
    /// `extents` (Volume4D, heights in W84 converted with the deployment's datum), `key`,
    /// `state` (`Accepted`, `Activated`, `Nonconforming`, `Contingent`), `uss_base_url`
    /// (accepted and ignored: this service calls no USS); and this API's `priority`, `ovn`.
    static func f3548Put(_ root: JSON, datum: AltitudeDatum) throws(Problem) -> Put {
        let top = try Members(root, "", allowed: ["extents", "key", "state", "uss_base_url", "priority", "ovn"])
        let stateText = try top.string("state")
        guard let state = F3548State.parse(stateText) else {
            throw bad("state", "must be one of \(F3548State.names.joined(separator: ", ")), found \"\(stateText.prefix(40))\"")
        }
        if top["uss_base_url"] != nil { _ = try top.string("uss_base_url") }
        let extents = try top.array("extents")
        guard (1...IntentLimits.maxVolumes).contains(extents.count) else {
            throw bad("extents", "an intent has 1…\(IntentLimits.maxVolumes) volumes, found \(extents.count)")
        }
        var volumes: [Volume4D] = []
        for (i, e) in extents.enumerated() {
            var v: Volume4D
            do { v = try F3548Volume.parse(e, path: "extents[\(i)]", datum: datum) } catch { throw Problem.badRequest(error.description) }
            v.timeStart = canonicalTime(v.timeStart); v.timeEnd = canonicalTime(v.timeEnd)
            do { try v.validate() } catch { throw bad("extents[\(i)]", error.description) }
            volumes.append(v)
        }
        var priority = 0
        if top["priority"] != nil { priority = try self.priority(try top.number("priority"), "priority") }
        return Put(state: state, priority: priority, volumes: volumes, key: try key(top["key"], "key"), ovn: try ovn(top["ovn"], "ovn"))
    }

    static func volume(_ v: JSON, _ path: String) throws(Problem) -> Volume4D {
        let m = try Members(v, path, allowed: ["outline", "alt_lower_ft", "alt_upper_ft", "start", "end"])
        let outline = try self.outline(try m.required("outline"), path + ".outline")
        let lowerFt = feet(try m.number("alt_lower_ft")), upperFt = feet(try m.number("alt_upper_ft"))
        let start = try time(try m.string("start"), path + ".start")
        let end = try time(try m.string("end"), path + ".end")
        let vol = Volume4D(volume: Volume3D(outline: outline, altitudeLower: Units.ft(lowerFt), altitudeUpper: Units.ft(upperFt)),
                           timeStart: start, timeEnd: end)
        do { try vol.validate() } catch {
            throw describe(error, path, lowerFt: lowerFt, upperFt: upperFt, isCircle: { if case .circle = outline { true } else { false } }())
        }
        return vol
    }

    static func outline(_ v: JSON, _ path: String) throws(Problem) -> Outline {
        guard case .object = v else { throw bad(path, "must be an object, found \(v.typeName)") }
        guard case let .string(type)? = v["type"] else { throw bad(path + ".type", "missing or not a string (\"circle\" or \"polygon\")") }
        switch type {
        case "circle":
            let m = try Members(v, path, allowed: ["type", "center", "radius_m"])
            return .circle(center: try position(try m.required("center"), path + ".center"), radius: try m.number("radius_m"))
        case "polygon":
            let m = try Members(v, path, allowed: ["type", "coordinates"])
            let ring = try m.array("coordinates")
            guard ring.count <= VolumeLimits.maxVertices + 1 else {
                throw bad(path + ".coordinates", "\(ring.count) positions, at most \(VolumeLimits.maxVertices) vertices allowed")
            }
            var pts: [LatLon] = []
            pts.reserveCapacity(ring.count)
            for (k, p) in ring.enumerated() { pts.append(try position(p, path + ".coordinates[\(k)]")) }
            return .polygon(pts)
        default:
            throw bad(path + ".type", "must be \"circle\" or \"polygon\", found \"\(type.prefix(40))\"")
        }
    }

    /// `[lon, lat]` (GeoJSON order).
    static func position(_ v: JSON, _ path: String) throws(Problem) -> LatLon {
        guard case let .array(a) = v, a.count == 2 else { throw bad(path, "a position is [longitude, latitude]") }
        guard case let .number(lon) = a[0], case let .number(lat) = a[1] else {
            throw bad(path, "longitude and latitude must be numbers")
        }
        return LatLon(lat: lat, lon: lon)
    }

    /// Epoch seconds of an RFC 3339 date-time with a zone, rounded to the millisecond (so
    /// what the API shows is exactly what it keeps, and echoing it back changes nothing).
    static func time(_ s: String, _ path: String) throws(Problem) -> Double {
        guard let t = RFC3339.parse(s) else {
            throw bad(path, "not an RFC 3339 date-time with a time zone (e.g. 2026-11-26T10:00:00Z): \"\(s.prefix(40))\"")
        }
        return canonicalTime(t)
    }

    static func canonicalTime(_ t: Double) -> Double {
        let whole = t.rounded(.down)
        let ms = ((t - whole) * 1000).rounded()
        return whole + ms / 1000
    }

    /// Feet kept to 10⁻⁶ ft, so ft → m → ft shows the number the client sent.
    static func feet(_ ft: Double) -> Double { (ft * 1e6).rounded() / 1e6 }

    static func describe(_ e: VolumeError, _ path: String, lowerFt: Double, upperFt: Double, isCircle: Bool) -> Problem {
        let minFt = feet(Units.toFt(VolumeLimits.minAltitude)), maxFt = feet(Units.toFt(VolumeLimits.maxAltitude))
        switch e {
        case .timeWindowEmpty: return bad(path + ".end", "end is not after start")
        case let .timeOutOfRange(t): return bad(path, "time \(RFC3339.format(t)) outside 1970…2242")
        case .altitudeBandEmpty:
            return bad(path + ".alt_upper_ft", "alt_lower_ft \(show(lowerFt)) is not below alt_upper_ft \(show(upperFt))")
        case let .altitudeOutOfRange(a):
            let which = a == Units.ft(lowerFt) ? "alt_lower_ft" : "alt_upper_ft"
            return bad(path + "." + which, "\(show(which == "alt_lower_ft" ? lowerFt : upperFt)) ft outside [\(show(minFt)), \(show(maxFt))] ft")
        case .radiusOutOfRange: return bad(path + ".outline.radius_m", e.description)
        case let .latitudeOutOfRange(i, _), let .longitudeOutOfRange(i, _), let .repeatedVertex(i):
            return bad(path + (isCircle ? ".outline.center" : ".outline.coordinates[\(i)]"), e.description)
        default: return bad(path + ".outline", e.description)
        }
    }

    /// `400` rather than `400.0` in messages.
    static func show(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    static func bad(_ path: String, _ message: String) -> Problem { Problem.badRequest("\(path): \(message)") }

    /// An object's members, checked against the allowed names (no unknown, no repeated one).
    struct Members {
        let members: [(String, JSON)]
        let path: String

        init(_ v: JSON, _ path: String, allowed: Set<String>) throws(Problem) {
            guard case let .object(m) = v else {
                throw IntentJSON.bad(path.isEmpty ? "body" : path, "must be an object, found \(v.typeName)")
            }
            var seen = Set<String>()
            for (k, _) in m {
                guard allowed.contains(k) else {
                    throw IntentJSON.bad(Self.join(path, String(k.prefix(40))), "unknown field (allowed: \(allowed.sorted().joined(separator: ", ")))")
                }
                guard seen.insert(k).inserted else { throw IntentJSON.bad(Self.join(path, k), "repeated field") }
            }
            members = m
            self.path = path
        }

        static func join(_ path: String, _ k: String) -> String { path.isEmpty ? k : path + "." + k }

        subscript(_ k: String) -> JSON? { members.first { $0.0 == k }?.1 }

        func required(_ k: String) throws(Problem) -> JSON {
            guard let v = self[k] else { throw IntentJSON.bad(Self.join(path, k), "missing") }
            return v
        }
        func number(_ k: String) throws(Problem) -> Double {
            let v = try required(k)
            guard case let .number(n) = v else { throw IntentJSON.bad(Self.join(path, k), "must be a number, found \(v.typeName)") }
            return n
        }
        func string(_ k: String) throws(Problem) -> String {
            let v = try required(k)
            guard case let .string(s) = v else { throw IntentJSON.bad(Self.join(path, k), "must be a string, found \(v.typeName)") }
            return s
        }
        func array(_ k: String) throws(Problem) -> [JSON] {
            let v = try required(k)
            guard case let .array(a) = v else { throw IntentJSON.bad(Self.join(path, k), "must be an array, found \(v.typeName)") }
            return a
        }
    }
}

/// F3548's capitalised state names (`Ended` is not one: F3548 deletes instead).
enum F3548State {
    static let names = ["Accepted", "Activated", "Nonconforming", "Contingent"]
    static func parse(_ s: String) -> IntentState? {
        switch s {
        case "Accepted": .accepted
        case "Activated": .activated
        case "Nonconforming": .nonconforming
        case "Contingent": .contingent
        default: nil
        }
    }
    static func name(_ s: IntentState) -> String {
        switch s {
        case .accepted: "Accepted"
        case .activated: "Activated"
        case .nonconforming: "Nonconforming"
        case .contingent: "Contingent"
        case .ended: "Ended"
        }
    }
}

// MARK: - Writing

/// `GET /v1/intents/{id}` in the other shapes (`?format=geojson|f3548`, or `Accept:
/// application/geo+json`): the same view (another party's intent without owner or version).
enum IntentShapes {
    /// A Feature for a one-volume intent (what `PUT` and `intents check` take back), a
    /// FeatureCollection of one Feature per volume (property `volume`: its index) otherwise.
    static func geoJSON(_ i: Intent, viewer: String) -> JSON {
        let own = i.owner == viewer
        func feature(_ v: Volume4D, _ k: Int?) -> JSON {
            var extra: [(String, JSON)] = [("state", .string(i.state.rawValue)), ("ovn", .string(i.ovn))]
            if own { extra.append(("version", .number(Double(i.version)))) }
            if let k { extra.append(("volume", .number(Double(k)))) }
            return IntentsFile.featureJSON(id: i.id, party: own ? i.owner : nil, priority: i.priority, volume: v, extra: extra)
        }
        if i.volumes.count == 1 { return feature(i.volumes[0], nil) }
        return .object([("type", .string("FeatureCollection")),
                        ("features", .array(i.volumes.enumerated().map { feature($1, $0) }))])
    }

    /// F3548's operational intent: `reference` (id, ovn, state, time bounds; the owner's
    /// `manager` and `version` to the owner only) and `details` (volumes, priority).
    static func f3548(_ i: Intent, viewer: String, datum: AltitudeDatum) -> JSON {
        let own = i.owner == viewer
        let start = i.volumes.map(\.timeStart).min() ?? 0, end = i.volumes.map(\.timeEnd).max() ?? 0
        var reference: [(String, JSON)] = [("id", .string(i.id)), ("ovn", .string(i.ovn)), ("state", .string(F3548State.name(i.state))),
                                           ("time_start", F3548Volume.timeJSON(start)), ("time_end", F3548Volume.timeJSON(end))]
        if own { reference += [("manager", .string(i.owner)), ("version", .number(Double(i.version)))] }
        return .object([("operational_intent", .object([
            ("reference", .object(reference)),
            ("details", .object([("volumes", .array(i.volumes.map { F3548Volume.json($0, datum: datum) })),
                                 ("priority", .number(Double(i.priority)))])),
        ]))])
    }
}

/// One volume as the API shows it: feet and RFC 3339.
struct VolumeJSON: Encodable, Sendable {
    var outline: OutlineJSON
    var alt_lower_ft: Double
    var alt_upper_ft: Double
    var start: String
    var end: String

    init(_ v: Volume4D) {
        outline = OutlineJSON(v.volume.outline)
        alt_lower_ft = IntentJSON.feet(Units.toFt(v.volume.altitudeLower))
        alt_upper_ft = IntentJSON.feet(Units.toFt(v.volume.altitudeUpper))
        start = RFC3339.format(v.timeStart)
        end = RFC3339.format(v.timeEnd)
    }
}

enum OutlineJSON: Encodable, Sendable {
    case circle(center: [Double], radius: Double)
    case polygon([[Double]])

    init(_ o: Outline) {
        switch o {
        case let .circle(c, r): self = .circle(center: [c.lon, c.lat], radius: r)
        case let .polygon(ring): self = .polygon(ring.map { [$0.lon, $0.lat] })
        }
    }

    enum K: String, CodingKey { case type, center, radius_m, coordinates }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: K.self)
        switch self {
        case let .circle(center, r):
            try c.encode("circle", forKey: .type); try c.encode(center, forKey: .center); try c.encode(r, forKey: .radius_m)
        case let .polygon(ring):
            try c.encode("polygon", forKey: .type); try c.encode(ring, forKey: .coordinates)
        }
    }
}

/// An intent as one party sees it. Its own: everything (`owner`, `version`). Another
/// party's: id, OVN (needed for the key), state, priority and volumes only.
struct IntentView: Encodable, Sendable {
    var id: String
    var own: Bool
    var owner: String?
    var version: Int?
    var ovn: String
    var state: String
    var priority: Int
    var volumes: [VolumeJSON]

    init(_ i: Intent, viewer: String) {
        id = i.id; own = i.owner == viewer; ovn = i.ovn; state = i.state.rawValue; priority = i.priority
        owner = own ? i.owner : nil
        version = own ? i.version : nil
        volumes = i.volumes.map(VolumeJSON.init)
    }
}

/// One overlapping volume pair: index in the subject intent, in the other, and their
/// common time window and altitude band.
struct OverlapJSON: Encodable, Sendable {
    var volume: Int
    var other_volume: Int
    var start: String
    var end: String
    var alt_lower_ft: Double
    var alt_upper_ft: Double

    init(_ p: VolumePairOverlap) {
        volume = p.volumeIndex; other_volume = p.otherVolumeIndex
        start = RFC3339.format(p.overlap.timeStart); end = RFC3339.format(p.overlap.timeEnd)
        alt_lower_ft = IntentJSON.feet(Units.toFt(p.overlap.altitudeLower))
        alt_upper_ft = IntentJSON.feet(Units.toFt(p.overlap.altitudeUpper))
    }
}

/// A conflict of the subject intent with another party's intent (never its owner).
struct IntentConflictJSON: Encodable, Sendable {
    var id: String
    var state: String
    var priority: Int
    var pairs: [OverlapJSON]

    init(_ c: IntentConflict) {
        id = c.otherID; state = c.otherState.rawValue; priority = c.otherPriority; pairs = c.pairs.map(OverlapJSON.init)
    }
}

/// The answer to an accepted `PUT`: the stored intent and its conflicts.
struct IntentWrittenJSON: Encodable, Sendable {
    var intent: IntentView
    var conflicts: [IntentConflictJSON]
    /// The write's ledger receipt (docs/ledger.md).
    var receipt: ReceiptJSON

    enum K: String, CodingKey { case conflicts, receipt }

    func encode(to encoder: any Encoder) throws {
        try intent.encode(to: encoder)
        var c = encoder.container(keyedBy: K.self)
        try c.encode(conflicts, forKey: .conflicts)
        try c.encode(receipt, forKey: .receipt)
    }
}

/// A strategic conflict in `GET /v1/conflicts`: one of the caller's intents (`own`) and
/// another party's (`intruder`, by intent id: intents are visible to every party).
struct StrategicConflictView: Encodable, Sendable {
    var kind = "strategic"
    var state = "active"
    var own: String
    var priority: Int
    var intruder: String
    var intruder_priority: Int
    var intruder_state: String
    var pairs: [OverlapJSON]

    init(own: Intent, _ c: IntentConflict) {
        self.own = own.id; priority = own.priority
        intruder = c.otherID; intruder_priority = c.otherPriority; intruder_state = c.otherState.rawValue
        pairs = c.pairs.map(OverlapJSON.init)
    }
}

extension Problem {
    /// The answer to a refused intent write. Never names another party.
    init(_ r: IntentRefusal) {
        func ids(_ cs: [IntentConflict]) -> JSON {
            .array(cs.map { JSON(["id": .string($0.otherID), "priority": .number(Double($0.otherPriority)),
                                  "state": .string($0.otherState.rawValue)]) })
        }
        switch r {
        case .invalidVolume, .badVolumeCount, .badIdentifier, .invalidTransition:
            self = .badRequest(r.description)
        case let .alreadyExists(id):
            self.init(.conflict, "already-exists", "intent \(id) already exists: send its current ovn to update it")
        case let .notFound(id):
            self = .notFound("intent \(id) not found")
        case let .notOwner(id, _, _):
            self = .forbidden("intent \(id) belongs to another party")
        case let .ovnMismatch(id, presented, current):
            self.init(.conflict, "ovn-mismatch", "intent \(id): ovn \(presented.prefix(80)) is not the current one (\(current)): re-read it",
                      extra: ["ovn": .string(current)])
        case let .missingKeys(keys):
            self.init(.conflict, "missing-keys",
                      "the key lacks the OVNs of \(keys.count) current intent(s) of other parties that overlap this one: " +
                          keys.map(\.intentID).joined(separator: ", ") + "; read them, then retry with their OVNs in key",
                      extra: ["missing": .array(keys.map { JSON(["id": .string($0.intentID), "ovn": .string($0.ovn)]) })])
        case let .priorityViolation(cs):
            self.init(.conflict, "priority-conflict", "would conflict with higher-priority intents: " + cs.map(\.otherID).joined(separator: ", "),
                      extra: ["conflicting": ids(cs)])
        case let .conflictNotReduced(cs):
            self.init(.conflict, "conflict-not-reduced",
                      "an activated intent in conflict may only reduce it; new or enlarged: " + cs.map(\.otherID).joined(separator: ", "),
                      extra: ["conflicting": ids(cs)])
        case let .equalPriorityConflict(cs):
            self.init(.conflict, "priority-conflict", "would conflict with equal-priority intents: " + cs.map(\.otherID).joined(separator: ", "),
                      extra: ["conflicting": ids(cs)])
        }
    }
}
