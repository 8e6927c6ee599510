import DeconflictCore
import DeconflictFormats
import Testing

/// ASTM F3548 Volume4D and the GeoJSON Feature writer, pure: strict reading, canonical
/// writing, the one datum conversion.
@Suite struct F3548VolumeTests {
    static func parse(_ text: String, datum: AltitudeDatum = .equal) throws -> Volume4D {
        try F3548Volume.parse(try JSON.parse(Array(text.utf8)), path: "v", datum: datum)
    }

    static let polygon = #"{"volume":{"outline_polygon":{"vertices":[{"lat":47.4,"lng":8.5},{"lat":47.4,"lng":8.52},{"lat":47.42,"lng":8.52}]},"altitude_lower":{"value":100,"reference":"W84","units":"M"},"altitude_upper":{"value":400,"reference":"W84","units":"M"}},"time_start":{"value":"2026-12-02T10:00:00Z","format":"RFC3339"},"time_end":{"value":"2026-12-02T11:00:00.250Z","format":"RFC3339"}}"#

    @Test func readsAndWritesTheSameVolume() throws {
        let v = try Self.parse(Self.polygon)
        #expect(v.volume.outline == .polygon([LatLon(lat: 47.4, lon: 8.5), LatLon(lat: 47.4, lon: 8.52), LatLon(lat: 47.42, lon: 8.52)]))
        #expect(v.volume.altitudeLower == 100 && v.volume.altitudeUpper == 400)
        #expect(v.timeStart == RFC3339.parse("2026-12-02T10:00:00Z") && v.timeEnd == RFC3339.parse("2026-12-02T11:00:00.250Z"))
        // Written back: the same JSON value, member for member.
        #expect(F3548Volume.json(v, datum: .equal) == (try JSON.parse(Array(Self.polygon.utf8))))
        // A closed ring (GeoJSON's habit) is written without its closing vertex.
        var closed = v
        if case let .polygon(r) = v.volume.outline { closed.volume.outline = .polygon(r + [r[0]]) }
        #expect(F3548Volume.json(closed, datum: .equal) == F3548Volume.json(v, datum: .equal))
    }

    @Test func theDatumIsOneExplicitOffset() throws {
        let datum = AltitudeDatum(w84MinusPressure: 47.5)
        let v = try Self.parse(Self.polygon, datum: datum)
        #expect(v.volume.altitudeLower == 100 - 47.5 && v.volume.altitudeUpper == 400 - 47.5)
        #expect(F3548Volume.json(v, datum: datum) == (try JSON.parse(Array(Self.polygon.utf8))))
    }

    @Test func circleAndRefusalsNameTheMember() throws {
        let circle = Self.polygon.replacingOccurrences(
            of: #""outline_polygon":{"vertices":[{"lat":47.4,"lng":8.5},{"lat":47.4,"lng":8.52},{"lat":47.42,"lng":8.52}]}"#,
            with: #""outline_circle":{"center":{"lat":47.45,"lng":8.55},"radius":{"value":500,"units":"M"}}"#)
        #expect(try Self.parse(circle).volume.outline == .circle(center: LatLon(lat: 47.45, lon: 8.55), radius: 500))
        let cases: [(String, String)] = [
            (Self.polygon.replacingOccurrences(of: #""units":"M"}},"time_start""#, with: #""units":"FT"}},"time_start""#), "v.volume.altitude_upper.units"),
            (Self.polygon.replacingOccurrences(of: #""reference":"W84","units":"M"},"altitude_upper""#, with: #""reference":"SFC","units":"M"},"altitude_upper""#), "v.volume.altitude_lower.reference"),
            (Self.polygon.replacingOccurrences(of: #""format":"RFC3339"},"time_end""#, with: #""format":"unix"},"time_end""#), "v.time_start.format"),
            (Self.polygon.replacingOccurrences(of: #""lat":47.4,"lng":8.5}"#, with: #""lat":47.4,"lon":8.5}"#), "v.volume.outline_polygon.vertices[0].lon"),
            (Self.polygon.replacingOccurrences(of: #""2026-12-02T10:00:00Z""#, with: #""2026-12-02 10:00""#), "v.time_start.value"),
            (circle.replacingOccurrences(of: #""outline_circle""#, with: #""outline_polygon":{"vertices":[]},"outline_circle""#), "v.volume"),
            (#"{"volume":{"altitude_lower":{"value":0,"reference":"W84","units":"M"},"altitude_upper":{"value":1,"reference":"W84","units":"M"}},"time_start":{"value":"2026-12-02T10:00:00Z","format":"RFC3339"},"time_end":{"value":"2026-12-02T11:00:00Z","format":"RFC3339"}}"#, "v.volume"),
        ]
        for (text, path) in cases {
            do {
                _ = try Self.parse(text)
                Issue.record("accepted, expected an error at \(path)")
            } catch let e as F3548Volume.Error {
                #expect(e.path == path, "\(e)")
            }
        }
    }

    @Test func geoJSONFeatureIsWhatIntentsFileReads() throws {
        let v = try Self.parse(Self.polygon)
        let f = IntentsFile.featureJSON(id: "a1", party: "blue", priority: 4, volume: v, extra: [("state", .string("accepted"))])
        guard case let .object(members) = f else { Issue.record("not an object"); return }
        let text = "{" + members.map { "\"\($0.0)\":\(Self.text($0.1))" }.joined(separator: ",") + "}"
        let parsed = try IntentsFile.parse(Array(text.utf8), file: "f")
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        let back = try #require(parsed.features.first)
        #expect(back.id == "a1" && back.party == "blue" && back.priority == 4)
        // The ring comes back closed (RFC 7946), the same polygon once the closing vertex is dropped.
        guard case let .polygon(ring) = back.volume.volume.outline else { Issue.record("not a polygon"); return }
        #expect(ring.count == 4 && ring.first == ring.last && .polygon(Array(ring.dropLast())) == v.volume.outline)
        #expect(abs(back.volume.volume.altitudeLower - v.volume.altitudeLower) < 1e-6 && back.volume.timeStart == v.timeStart)
    }

    /// Minimal JSON text of a value (numbers as Swift prints them), for the test only.
    static func text(_ v: JSON) -> String {
        switch v {
        case .null: "null"
        case let .bool(b): b ? "true" : "false"
        case let .number(n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : "\(n)"
        case let .string(s): "\"\(s)\""
        case let .array(a): "[" + a.map(text).joined(separator: ",") + "]"
        case let .object(o): "{" + o.map { "\"\($0.0)\":\(text($0.1))" }.joined(separator: ",") + "}"
        }
    }
}
