import DeconflictServer
import Foundation
import Testing

@Suite("Need to know")
struct NeedToKnowTests {
    @Test("Own aircraft in full; others only nearby, by stable opaque id, without callsign or party")
    func trafficViews() async throws {
        try await TestServer.with { s in
            let http = s.http()
            let blue = try await s.token("blue"), red = try await s.token("red"), green = try await s.token("green")
            // Blue at 50N 5E FL350. Red: 10 NM north (visible), 200 NM north (too far),
            // 10 NM north but 8000 ft higher (too high).
            _ = try await http.post("/v1/tracks", token: blue, body: Body.batch([Body.report("BLU1", lat: 50, lon: 5, alt: 35000)]))
            _ = try await http.post("/v1/tracks", token: red, body: Body.batch([
                Body.report("REDNEAR", lat: 50 + 10.0 / 60, lon: 5, alt: 35000),
                Body.report("REDFAR", lat: 50 + 200.0 / 60, lon: 5, alt: 35000),
                Body.report("REDHIGH", lat: 50 + 10.0 / 60, lon: 5, alt: 43000),
            ]))
            let r1 = try await http.get("/v1/traffic", token: blue)
            #expect(r1.status == 200)
            let seen = try #require(r1.object["aircraft"] as? [[String: Any]])
            #expect(seen.count == 2)
            #expect(seen.first { $0["own"] as? Bool == true }?["id"] as? String == "BLU1")
            let other = try #require(seen.first { $0["own"] as? Bool == false })
            let opaque = try #require(other["id"] as? String)
            #expect(opaque.hasPrefix("x-"))
            #expect(!r1.body.contains("RED") && !r1.body.contains("red"), "no callsign, no party: \(r1.body)")
            #expect(abs((other["lat"] as? Double ?? 0) - (50 + 10.0 / 60)) < 1e-9)
            // Stable across requests.
            let again = try await http.get("/v1/traffic", token: blue).object["aircraft"] as? [[String: Any]]
            #expect(again?.first { $0["own"] as? Bool == false }?["id"] as? String == opaque)
            // Red sees its three in full and blue (near REDNEAR).
            let redView = try #require(try await http.get("/v1/traffic", token: red).object["aircraft"] as? [[String: Any]])
            #expect(Set(redView.filter { $0["own"] as? Bool == true }.compactMap { $0["id"] as? String }) == ["REDNEAR", "REDFAR", "REDHIGH"])
            #expect(redView.filter { $0["own"] as? Bool == false }.count == 1)
            // A party with no aircraft sees nothing.
            let greenView = try await http.get("/v1/traffic", token: green).object["aircraft"] as? [Any]
            #expect(greenView?.isEmpty == true)
            // Conflicts of others are not shown to green.
            let gc = try await http.get("/v1/conflicts", token: green).object["conflicts"] as? [Any]
            #expect(gc?.isEmpty == true)
        }
    }
}
