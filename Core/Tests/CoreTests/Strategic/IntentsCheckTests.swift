import Testing
import Foundation
import DeconflictCore
@testable import DeconflictFormats

private func fixture(_ name: String) throws -> (file: String, bytes: [UInt8]) {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/intents/\(name)", withExtension: nil))
    return (name, Array(try Data(contentsOf: url)))
}

private func feature(_ props: String, geometry: String = #"{"type":"Point","coordinates":[8.5,47.4]}"#) -> [UInt8] {
    Array(#"{"type":"Feature","geometry":\#(geometry),"properties":{\#(props)}}"#.utf8)
}

private let okProps = #""party":"p","radius_m":100,"start":"2026-11-26T10:00:00Z","end":"2026-11-26T11:00:00Z","alt_lower_ft":0,"alt_upper_ft":400"#

@Suite("Strategic: intents check (GeoJSON)")
struct IntentsCheckTests {
    @Test func fixturesCrossCheck() throws {
        let r = IntentsCheck.run([try fixture("alpha.geojson"), try fixture("bravo.geojson")])
        #expect(r.errors.isEmpty)
        #expect(r.features.count == 5)
        let pairs = r.conflicts.map { "\($0.a.id)×\($0.b.id)" }
        #expect(pairs == ["alpha-survey×bravo-delivery", "alpha-orbit×bravo-inspection"])
        let c = try #require(r.conflicts.first)
        #expect(c.overlap.timeStart == 1_795_687_200)
        #expect(c.overlap.timeEnd == 1_795_687_200 + 45 * 60)
        #expect(Swift.abs(Units.toFt(c.overlap.altitudeLower) - 100) < 1e-9)
        #expect(Swift.abs(Units.toFt(c.overlap.altitudeUpper) - 300) < 1e-9)
        #expect(r.exitCode == 1)
        let table = r.table()
        #expect(table.contains("Checked 5 intents from 2 files: 2 conflicts between parties."))
        #expect(table.contains("2026-11-26T10:00:00Z"))
        #expect(table.contains("100-300"))
        let json = r.json()
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((obj?["conflicts"] as? [Any])?.count == 2)
        #expect(json.contains(#""time_end":"2026-11-26T10:20:00.500Z""#))
    }

    @Test func touchingAndSamePartyAreNotConflicts() throws {
        let r = IntentsCheck.run([try fixture("alpha.geojson")])
        #expect(r.conflicts.isEmpty && r.exitCode == 0)
        #expect(r.table() == "Checked 2 intents from 1 file: 0 conflicts between parties.\n")
    }

    @Test func badFeaturesNameFileIndexAndProperty() throws {
        let r = IntentsCheck.run([try fixture("bad.geojson"), try fixture("alpha.geojson")])
        let got = r.errors.map { "\($0.feature.map(String.init) ?? "-") \($0.property ?? "-")" }
        #expect(got == ["0 end", "1 geometry.coordinates[0]", "2 start", "3 alt_lower_ft", "4 party",
                        "5 alt_upper_ft", "6 radius_m", "7 geometry.type", "8 geometry.coordinates"])
        #expect(r.errors.allSatisfy { $0.file == "bad.geojson" })
        #expect(r.errors[1].message.contains("intersect"))
        #expect(r.errors[0].description.hasPrefix("bad.geojson: feature 0: property 'end': "))
        // The valid feature of the bad file is still cross-checked; invalid input wins the exit code.
        #expect(r.conflicts.map { "\($0.a.id)×\($0.b.id)" } == ["alpha-orbit×9"])
        #expect(r.exitCode == 2)
        #expect(r.json().contains(#""property":"alt_lower_ft""#))
    }

    @Test func fileLevelErrors() {
        func err(_ s: String) -> IntentsFileError? {
            do { _ = try IntentsFile.parse(Array(s.utf8), file: "f.json"); return nil } catch { return error }
        }
        #expect(err("{\"type\": \"FeatureCollection\", \"features\": [}")?.message.contains("line 1") == true)
        #expect(err("[]")?.message.contains("GeoJSON object") == true)
        #expect(err(#"{"type":"Topology"}"#)?.property == "type")
        #expect(err(#"{"type":"FeatureCollection"}"#)?.property == "features")
        #expect(err(String(repeating: "[", count: 100_000)) != nil) // depth limit, no stack overflow
        #expect(err("") != nil)
        #expect(err("{\"type\":\"Feature\"} x") != nil)
    }

    @Test func oversizedInputIsRefusedBeforeParsing() {
        let big = [UInt8](repeating: 0x20, count: IntentsFile.maxFileBytes + 1)
        let clock = ContinuousClock()
        let t = clock.measure {
            #expect(throws: IntentsFileError.self) { try IntentsFile.parse(big, file: "big") }
        }
        #expect(t < .milliseconds(100))
    }

    @Test func polygonOverTheVertexLimitIsRefusedBeforeValidation() throws {
        // 5,000 positions (under the byte limit): refused on the count, before any geometry work.
        let ring = (0...5_000).map { i in "[\(8.5 + Double(i % 100) * 1e-4),\(47.4 + Double(i / 100) * 1e-4)]" }.joined(separator: ",")
        let bytes = feature(okProps, geometry: #"{"type":"Polygon","coordinates":[[\#(ring)]]}"#)
        let p = try IntentsFile.parse(bytes, file: "many")
        #expect(p.errors.first?.property == "geometry.coordinates[0]")
        #expect(p.errors.first?.message.contains("at most 1000") == true)
    }

    @Test func hugeRingIsRefusedWhileParsing() {
        // 300,000 positions (~6 MB, under the byte limit): parsing stops at the array limit.
        let ring = (0..<300_000).map { i in "[\(8.5 + Double(i % 1000) * 1e-5),\(47.4 + Double(i / 1000) * 1e-5)]" }.joined(separator: ",")
        let bytes = feature(okProps, geometry: #"{"type":"Polygon","coordinates":[[\#(ring)]]}"#)
        let clock = ContinuousClock()
        var failure: IntentsFileError?
        let t = clock.measure {
            do { _ = try IntentsFile.parse(bytes, file: "huge") } catch { failure = error as? IntentsFileError }
        }
        #expect(failure?.message.contains("at most 1000 vertices") == true)
        #expect(t < .seconds(1))
    }

    @Test func timesAndUnits() throws {
        let p = try IntentsFile.parse(feature(#""party":"p","radius_m":100,"start":1795687200,"end":"2026-11-26T13:00:00+02:00","alt_lower_m":10,"alt_upper_m":120.5,"priority":3,"id":42"#), file: "f")
        let f = try #require(p.features.first)
        #expect(f.volume.timeStart == 1_795_687_200 && f.volume.timeEnd == 1_795_687_200 + 3_600)
        #expect(f.volume.volume.altitudeLower == 10 && f.volume.volume.altitudeUpper == 120.5)
        #expect(f.priority == 3 && f.id == "42" && f.party == "p" && f.index == 0)
        let both = try IntentsFile.parse(feature(okProps + #","alt_lower_m":0"#), file: "f")
        #expect(both.errors.first?.property == "alt_lower_ft")
        let frac = try IntentsFile.parse(feature(#""party":"p","radius_m":100,"start":"2026-11-26T10:00:00Z","end":"2026-11-26T11:00:00Z","alt_lower_ft":0,"alt_upper_ft":400,"priority":1.5"#), file: "f")
        #expect(frac.errors.first?.property == "priority")
        let hole = try IntentsFile.parse(feature(okProps, geometry: #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1]],[[0.1,0.1],[0.2,0.1],[0.1,0.2]]]}"#), file: "f")
        #expect(hole.errors.first?.message.contains("holes") == true)
    }

    @Test func iso8601() {
        #expect(RFC3339.parse("2026-11-26T10:00:00Z") == 1_795_687_200)
        #expect(RFC3339.parse("2026-11-26T11:00:00+01:00") == 1_795_687_200)
        #expect(RFC3339.parse("2026-11-26T05:30:00-0430") == 1_795_687_200)
        #expect(RFC3339.parse("2026-11-26 10:00:00.250z") == 1_795_687_200.25)
        #expect(RFC3339.parse("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.parse("2024-02-29T00:00:00Z") == 1_709_164_800)
        #expect(RFC3339.parse("2026-02-29T00:00:00Z") == nil)
        #expect(RFC3339.parse("2026-11-26T10:00:00") == nil) // no zone
        #expect(RFC3339.parse("2026-11-26T24:00:00Z") == nil)
        #expect(RFC3339.parse("2026-11-26") == nil)
        #expect(RFC3339.format(1_795_687_200) == "2026-11-26T10:00:00Z")
        #expect(RFC3339.format(1_709_164_800.5) == "2024-02-29T00:00:00.500Z")
    }

    @Test func jsonReader() throws {
        let v = try JSON.parse(Array(#"{"a":[1,-2.5e3,true,null,"\u00e9\ud83d\ude00\n"]}"#.utf8))
        #expect(v["a"] == .array([.number(1), .number(-2500), .bool(true), .null, .string("é😀\n")]))
        for bad in ["01", "1.", "\"\\x\"", "{\"a\" 1}", "[1,]", "\"\u{01}\"", "tru", "\"\\ud800\""] {
            #expect(throws: JSON.ParseError.self) { try JSON.parse(Array(bad.utf8)) }
        }
        #expect(JSON.quote("a\"b\\\n\u{01}") == #""a\"b\\\n\u0001""#)
    }
}
