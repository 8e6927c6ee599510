import DeconflictCore
import DeconflictFormats
@testable import DeconflictServer
import Foundation
import Testing

/// The shapes people already have, through the real API: a GeoJSON Feature as
/// `intents check` reads it, and ASTM F3548 `Volume4D` extents — each `PUT` and read back
/// with identical geometry.
@Suite("Intent shapes: GeoJSON and F3548")
struct IntentShapesTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
    static func text(_ o: Any) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: o), as: UTF8.self) }

    static let t0 = IntentBody.t0
    static let ring: [[Double]] = [[8.50, 47.40], [8.52, 47.40], [8.52, 47.42], [8.50, 47.42], [8.50, 47.40]]

    static func feature(party: String = "blue", geometry: String? = nil, extra: String = "") -> String {
        let g = geometry ?? #"{"type":"Polygon","coordinates":[[\#(ring.map { "[\($0[0]),\($0[1])]" }.joined(separator: ","))]]}"#
        return #"{"type":"Feature","geometry":\#(g),"properties":{"party":"\#(party)","start":"\#(RFC3339.format(t0))","end":"\#(RFC3339.format(t0 + 3600))","alt_lower_ft":0,"alt_upper_ft":400,"priority":3\#(extra)}}"#
    }

    @Test("GeoJSON: intents check → PUT → GET as GeoJSON → identical geometry, and back again")
    func geoJSONRoundTrip() async throws {
        let file = Self.feature()
        // What `intents check` reads: valid, one feature.
        let checked = try IntentsFile.parse(Array(file.utf8), file: "f.geojson")
        #expect(checked.errors.isEmpty && checked.features.count == 1, "\(checked.errors)")
        try await TestServer.with { s in
            let http = s.http()
            let blue = try await s.token("blue"), red = try await s.token("red")
            let put = try await http.request(.put, "/v1/intents/geo1", token: blue, body: file,
                                             headers: [.contentType: "application/geo+json"])
            #expect(put.status == 201, "\(put.body)")
            #expect(put.object["state"] as? String == "accepted" && put.object["priority"] as? Int == 3)
            let got = try await http.request(.get, "/v1/intents/geo1", token: blue, headers: [.accept: "application/geo+json"])
            #expect(got.status == 200 && got.contentType == "application/geo+json", "\(got.status) \(got.contentType)")
            let f = got.object
            let sent = try Self.json(file)
            #expect(f["type"] as? String == "Feature")
            let geometry = try #require(f["geometry"] as? [String: Any])
            #expect(geometry["type"] as? String == "Polygon")
            #expect(geometry["coordinates"] as? [[[Double]]] == [Self.ring], "identical ring: \(geometry)")
            let props = try #require(f["properties"] as? [String: Any]), sentProps = try #require(sent["properties"] as? [String: Any])
            for k in ["start", "end", "party"] { #expect(props[k] as? String == sentProps[k] as? String, "\(k)") }
            for k in ["alt_lower_ft", "alt_upper_ft", "priority"] { #expect(props[k] as? Double == sentProps[k] as? Double, "\(k)") }
            // What GET gave is again a file `intents check` reads, and a valid PUT (an update).
            #expect(try IntentsFile.parse(Array(got.body.utf8), file: "got.geojson").errors.isEmpty)
            var again = f
            var againProps = props
            againProps["state"] = "activated"
            again["properties"] = againProps
            let update = try await http.request(.put, "/v1/intents/geo1", token: blue, body: try Self.text(again),
                                                headers: [.contentType: "application/geo+json"])
            #expect(update.status == 200 && update.object["state"] as? String == "activated", "\(update.body)")
            // Another party sees no owner; `?format=geojson` is the same as the Accept header.
            let theirs = try await http.get("/v1/intents/geo1?format=geojson", token: red)
            #expect(theirs.status == 200 && theirs.contentType == "application/geo+json")
            let theirProps = try #require(theirs.object["properties"] as? [String: Any])
            #expect(theirProps["party"] == nil && theirProps["version"] == nil && theirProps["ovn"] is String)

            // A circle: Point + radius_m, round trip.
            let point = Self.feature(geometry: #"{"type":"Point","coordinates":[8.6,47.5]}"#, extra: #","radius_m":750"#)
            #expect(try await http.request(.put, "/v1/intents/geo2", token: blue, body: point).status == 201)
            let gotPoint = try await http.get("/v1/intents/geo2?format=geojson", token: blue)
            let pg = try #require(gotPoint.object["geometry"] as? [String: Any])
            #expect(pg["type"] as? String == "Point" && pg["coordinates"] as? [Double] == [8.6, 47.5])
            #expect((gotPoint.object["properties"] as? [String: Any])?["radius_m"] as? Double == 750)

            // Refused with the member named: another party's name, a collection, a bad property.
            let asRed = try await http.request(.put, "/v1/intents/geo3", token: blue, body: Self.feature(party: "red"))
            IntentRoutesTests.expectProblem(asRed, 400, "party in the feature is not the caller")
            let collection = #"{"type":"FeatureCollection","features":[\#(file)]}"#
            IntentRoutesTests.expectProblem(try await http.request(.put, "/v1/intents/geo3", token: blue, body: collection), 400, "collection")
            let badAlt = file.replacingOccurrences(of: #""alt_upper_ft":400"#, with: #""alt_upper_ft":"high""#)
            let bad = try await http.request(.put, "/v1/intents/geo3", token: blue, body: badAlt)
            IntentRoutesTests.expectProblem(bad, 400, "bad altitude")
            #expect((bad.object["detail"] as? String)?.contains("alt_upper_ft") == true, "\(bad.body)")
            IntentRoutesTests.expectProblem(try await http.get("/v1/intents/geo1?format=kml", token: blue), 400, "unknown format")
        }
    }

    static func f3548Volume(polygon: Bool, lower: Double = 0, upper: Double = 120, units: String = "M") -> String {
        let outline = polygon
            ? #""outline_polygon":{"vertices":[{"lat":47.40,"lng":8.50},{"lat":47.40,"lng":8.52},{"lat":47.42,"lng":8.52}]}"#
            : #""outline_circle":{"center":{"lat":47.45,"lng":8.55},"radius":{"value":500,"units":"M"}}"#
        return #"{"volume":{\#(outline),"altitude_lower":{"value":\#(lower),"reference":"W84","units":"\#(units)"},"altitude_upper":{"value":\#(upper),"reference":"W84","units":"M"}},"time_start":{"value":"\#(RFC3339.format(t0))","format":"RFC3339"},"time_end":{"value":"\#(RFC3339.format(t0 + 1800))","format":"RFC3339"}}"#
    }

    @Test("F3548: Volume4D extents → PUT → GET as F3548 → identical volumes; the datum is explicit")
    func f3548RoundTrip() async throws {
        let extents = [Self.f3548Volume(polygon: true), Self.f3548Volume(polygon: false, lower: 30, upper: 90)]
        let body = #"{"extents":[\#(extents.joined(separator: ","))],"state":"Accepted","key":[],"uss_base_url":"https://uss.example/blue"}"#
        // W84 heights are 50 m above pressure altitudes in this deployment.
        try await TestServer.with({ $0.altitudeDatum = AltitudeDatum(w84MinusPressure: 50) }) { s in
            let http = s.http()
            let blue = try await s.token("blue")
            let put = try await http.put("/v1/intents/f1", token: blue, body: body)
            #expect(put.status == 201, "\(put.body)")
            // Kept as pressure altitudes: 0 m W84 is −50 m pressure (−164.04 ft); shown in feet.
            let native = try #require((put.object["volumes"] as? [[String: Any]])?.first)
            let lowerFt = try #require(native["alt_lower_ft"] as? Double)
            #expect(abs(lowerFt - Units.toFt(-50)) < 1e-5, "\(lowerFt)")
            let got = try await http.get("/v1/intents/f1?format=f3548", token: blue)
            #expect(got.status == 200, "\(got.body)")
            let oi = try #require(got.object["operational_intent"] as? [String: Any])
            let reference = try #require(oi["reference"] as? [String: Any])
            #expect(reference["state"] as? String == "Accepted" && reference["id"] as? String == "f1" && reference["ovn"] is String)
            #expect(reference["manager"] as? String == "blue")
            let volumes = try #require((oi["details"] as? [String: Any])?["volumes"] as? [[String: Any]])
            let sent = try extents.map(Self.json)
            #expect(volumes.count == 2)
            for (v, e) in zip(volumes, sent) {
                #expect(NSDictionary(dictionary: v).isEqual(to: e), "identical volume: \(v) vs \(e)")
            }
            // What GET gave goes back as extents (an update with the OVN).
            let ovn = try #require(reference["ovn"] as? String)
            let update = #"{"extents":\#(try Self.text(volumes)),"state":"Activated","ovn":"\#(ovn)"}"#
            let updated = try await http.put("/v1/intents/f1", token: blue, body: update)
            #expect(updated.status == 200 && updated.object["state"] as? String == "activated", "\(updated.body)")

            // Units other than metres, a missing reference, two outlines: 400 naming the member.
            let feet = #"{"extents":[\#(Self.f3548Volume(polygon: true, units: "FT"))],"state":"Accepted"}"#
            let r = try await http.put("/v1/intents/f2", token: blue, body: feet)
            IntentRoutesTests.expectProblem(r, 400, "feet")
            #expect((r.object["detail"] as? String)?.contains("extents[0].volume.altitude_lower.units") == true, "\(r.body)")
            let both = Self.f3548Volume(polygon: true).replacingOccurrences(
                of: #""altitude_lower""#, with: #""outline_circle":{"center":{"lat":1,"lng":1},"radius":{"value":5,"units":"M"}},"altitude_lower""#)
            IntentRoutesTests.expectProblem(try await http.put("/v1/intents/f2", token: blue, body: #"{"extents":[\#(both)],"state":"Accepted"}"#), 400, "two outlines")
            IntentRoutesTests.expectProblem(try await http.put("/v1/intents/f2", token: blue, body: #"{"extents":[\#(extents[0])],"state":"accepted"}"#), 400, "F3548 state names")
        }
    }
}
