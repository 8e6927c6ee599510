@testable import DeconflictServer
import Foundation
import Testing
import DeconflictFormats

@Suite("Track batch parser")
struct TrackBatchParserTests {
    static func parse(_ text: String) throws -> [TrackReport] {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBytes { try TrackBatchParser.parse(UnsafeRawBufferPointer($0), maxReports: 100_000) }
    }

    @Test("Numbers read exactly as Swift's own conversion reads them (fast path and general path)")
    func numbersExact() throws {
        var g = SystemRandomNumberGenerator()
        var texts: [String] = ["0", "-0", "0.0", "1e3", "-2.5E-3", "123456789012345", "1234567890123456789",
                               "0.000000000000000000000001", "1795716248.123", "51.500000000000000001", "-180"]
        for _ in 0..<3_000 {
            let x = Double.random(in: -2e9...2e9, using: &g) / pow(10, Double(Int.random(in: 0...12, using: &g)))
            texts.append(String(format: "%.\(Int.random(in: 0...17, using: &g))f", x))
            texts.append("\(x)")
        }
        for t in texts {
            let body = #"{"reports":[{"aircraft":"A1","time":\#(t),"lat":\#(t),"lon":0,"alt_ft":0,"gs_kt":0,"trk_deg":0,"vs_fpm":\#(t)}]}"#
            let r = try Self.parse(body)
            let expected = try #require(Double(t))
            #expect(r[0].time.bitPattern == expected.bitPattern, "\(t)")
            #expect(r[0].lat.bitPattern == expected.bitPattern && r[0].vs_fpm.bitPattern == expected.bitPattern, "\(t)")
        }
    }

    @Test("What JSON forbids is refused with the place named")
    func refusals() {
        let ok = #"{"aircraft":"A1","time":1,"lat":2,"lon":3,"alt_ft":4,"gs_kt":5,"trk_deg":6,"vs_fpm":7}"#
        let cases: [(String, String)] = [
            (#"{"reports":[\#(ok),{"aircraft":"A2","time":1,"lat":2,"lon":3,"alt_ft":4,"gs_kt":5,"trk_deg":6}]}"#, "missing field .reports[1].vs_fpm"),
            (#"{"reports":[{"aircraft":"A1","time":1,"lat":"2","lon":3,"alt_ft":4,"gs_kt":5,"trk_deg":6,"vs_fpm":7}]}"#, "wrong type at .reports[0].lat"),
            (#"{"reports":[{"aircraft":"A1","time":1,"lat":2,"lon":3,"alt_ft":4,"gs_kt":5,"trk_deg":6,"vs_fpm":7,"x":1}]}"#, "unknown field 'x' at .reports[0]"),
            (#"{"reports":[{"aircraft":null,"time":1,"lat":2,"lon":3,"alt_ft":4,"gs_kt":5,"trk_deg":6,"vs_fpm":7}]}"#, "null at .reports[0].aircraft"),
            (#"{"reports":[{"aircraft":"A1","time":1.,"lat":2,"lon":3,"alt_ft":4,"gs_kt":5,"trk_deg":6,"vs_fpm":7}]}"#, "wrong type at .reports[0].time"),
            (#"{"reports":[{"aircraft":"A1","time":+1,"lat":2,"lon":3,"alt_ft":4,"gs_kt":5,"trk_deg":6,"vs_fpm":7}]}"#, "wrong type at .reports[0].time"),
        ]
        for (body, message) in cases {
            do {
                _ = try Self.parse(body)
                Issue.record("accepted: \(body)")
            } catch let e as TrackBatchParser.Failure {
                #expect(e.description.hasPrefix(message), "\(e.description)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}

@Suite("Hand-written track events")
struct TrafficViewJSONTests {
    @Test("jsonArray decodes to the same views as the Codable encoding")
    func sameAsCodable() throws {
        let views = [
            TrafficView(id: "x-00ff", own: false, time: 1_795_716_248.123, lat: -33.8688, lon: 151.2093, alt_ft: 35_000,
                        gs_kt: 420.5, trk_deg: 359.99, vs_fpm: -1_500),
            TrafficView(id: "BLU.1_a-2", own: true, time: 0, lat: 0, lon: -180, alt_ft: -2_000, gs_kt: 0, trk_deg: 0, vs_fpm: 0),
        ]
        let hand = try JSONDecoder().decode([TrafficView].self, from: Data(TrafficView.jsonArray(views).utf8))
        let codable = try JSONDecoder().decode([TrafficView].self, from: JSONEncoder().encode(views))
        #expect(hand == views && codable == views)
        #expect(TrafficView.jsonArray([]) == "[]")
    }
}
