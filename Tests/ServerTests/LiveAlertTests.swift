import DeconflictServer
import Foundation
import Testing

@Suite("Live detection and alerts")
struct LiveAlertTests {
    @Test("Crossing flights: both parties get the alert, with the right level, before loss of separation")
    func crossingFlightsAlertBothParties() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue"), red = try await s.token("red")
            let bs = try await StreamProbe.open(port: s.port, token: blue)
            let rs = try await StreamProbe.open(port: s.port, token: red)
            let http = s.http()
            // 100 s to meet: tin ≈ 70 s → level 2 (corrective: tin ≤ 120 s).
            var b = Crossing.bodies(secondsToMeet: 100)
            #expect(try await http.post("/v1/tracks", token: blue, body: b.blue).status == 202)
            #expect(try await http.post("/v1/tracks", token: red, body: b.red).status == 202)
            for (probe, own) in [(bs, "BLU1"), (rs, "RED1")] {
                let alert = try await probe.wait(timeout: 5) { $0["type"] as? String == "alert" && $0["level"] as? Int == 2 }
                #expect(alert["own"] as? String == own)
                let intruder = try #require(alert["intruder"] as? String)
                #expect(intruder.hasPrefix("x-"))
                #expect(!intruder.contains("BLU") && !intruder.contains("RED"))
                let tin = try #require(alert["tin_s"] as? Double)
                let reportTime = try #require(alert["report_time"] as? Double)
                #expect(tin > 60 && tin < 80)
                #expect(Date().timeIntervalSince1970 < reportTime + tin, "pushed before the predicted loss of separation")
                #expect(alert["previous_level"] as? Int == 0)
            }
            // 40 s to meet: tin ≈ 10 s → level 3, pushed incrementally (both are in the picture now).
            try await Task.sleep(for: .milliseconds(400))
            b = Crossing.bodies(secondsToMeet: 40)
            #expect(try await http.post("/v1/tracks", token: blue, body: b.blue).status == 202)
            #expect(try await http.post("/v1/tracks", token: red, body: b.red).status == 202)
            for probe in [bs, rs] {
                let alert = try await probe.wait(timeout: 5) { $0["type"] as? String == "alert" && $0["level"] as? Int == 3 }
                #expect([0, 2].contains(alert["previous_level"] as? Int ?? -1))
            }
            let conflicts = try await http.get("/v1/conflicts", token: blue).object["conflicts"] as? [[String: Any]]
            #expect(conflicts?.count == 1)
            #expect(conflicts?.first?["level"] as? Int == 3)
            // Diverging now: the cycle resolves it and says so (level 0).
            let away = Crossing.bodies(secondsToMeet: -200)
            _ = try await http.post("/v1/tracks", token: blue, body: away.blue)
            _ = try await http.post("/v1/tracks", token: red, body: away.red)
            let cleared = try await bs.wait(timeout: 5) { $0["type"] as? String == "alert" && $0["level"] as? Int == 0 }
            #expect(cleared["state"] as? String == "resolved")
            await bs.close(); await rs.close()
        }
    }

    @Test("Same-party pairs raise nothing")
    func samePartyPairsIgnored() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue")
            let p = Crossing.positions(secondsToMeet: 60)
            let body = Body.batch([Body.report("B1", lat: p.blue.0, lon: p.blue.1, trk: 90),
                                   Body.report("B2", lat: p.red.0, lon: p.red.1, trk: 0)])
            #expect(try await s.http().post("/v1/tracks", token: blue, body: body).status == 202)
            try await Task.sleep(for: .milliseconds(600))
            let c = try await s.http().get("/v1/conflicts", token: blue).object["conflicts"] as? [Any]
            #expect(c?.isEmpty == true)
        }
    }
}
