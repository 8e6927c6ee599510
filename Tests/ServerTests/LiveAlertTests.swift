import DeconflictCore
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
            // Co-altitude, 594 kt closing, meeting in 80 s: DO-365 Phase I well clear (0.66 NM,
            // tau_mod 35 s) is entered ≈ 44.5 s from now — within the corrective level's 55 s
            // alerting time, beyond the warning's 25 s → level 2 once the M-of-N filter (2 of 4)
            // has two samples.
            var b = Crossing.bodies(secondsToMeet: 80)
            #expect(try await http.post("/v1/tracks", token: blue, body: b.blue).status == 202)
            #expect(try await http.post("/v1/tracks", token: red, body: b.red).status == 202)
            for (probe, own) in [(bs, "BLU1"), (rs, "RED1")] {
                let alert = try await probe.wait(timeout: 5) { $0["type"] as? String == "alert" && $0["level"] as? Int == 2 }
                #expect(alert["own"] as? String == own)
                let intruder = try #require(alert["intruder"] as? String)
                #expect(intruder.hasPrefix("x-"))
                #expect(!intruder.contains("BLU") && !intruder.contains("RED"))
                let ttv = try #require(alert["time_to_violation_s"] as? Double)
                let tin = try #require(alert["tin_s"] as? Double)
                let reportTime = try #require(alert["report_time"] as? Double)
                #expect(ttv > 37 && ttv < 45, "well clear entered in \(ttv) s")
                #expect(tin > 40 && tin < 50, "5 NM lost in \(tin) s")
                #expect(Date().timeIntervalSince1970 < reportTime + ttv, "pushed before the predicted loss of well clear")
                #expect(alert["previous_level"] as? Int == 0)
            }
            // 50 s to meet: well clear entered in ≈ 14.5 s (≤ 25 s) → level 3, from the fresh
            // reports' incremental check plus the next cycle.
            try await Task.sleep(for: .milliseconds(400))
            b = Crossing.bodies(secondsToMeet: 50)
            #expect(try await http.post("/v1/tracks", token: blue, body: b.blue).status == 202)
            #expect(try await http.post("/v1/tracks", token: red, body: b.red).status == 202)
            for probe in [bs, rs] {
                let alert = try await probe.wait(timeout: 5) { $0["type"] as? String == "alert" && $0["level"] as? Int == 3 }
                #expect(alert["previous_level"] as? Int == 2)
                let ttv = try #require(alert["time_to_violation_s"] as? Double)
                #expect(ttv > 5 && ttv < 15)
            }
            let conflicts = try await http.get("/v1/conflicts", token: blue).object["conflicts"] as? [[String: Any]]
            #expect(conflicts?.count == 1)
            #expect(conflicts?.first?["level"] as? Int == 3)
            // Diverging now: once the filter's 4 s persistence has passed, the cycle resolves it
            // and says so (level 0).
            let away = Crossing.bodies(secondsToMeet: -200)
            _ = try await http.post("/v1/tracks", token: blue, body: away.blue)
            _ = try await http.post("/v1/tracks", token: red, body: away.red)
            let cleared = try await bs.wait(timeout: 12) { $0["type"] as? String == "alert" && $0["level"] as? Int == 0 }
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

@Suite("Incremental check")
struct IncrementalCheckTests {
    static func counter(_ metrics: String, _ name: String) -> Int {
        for line in metrics.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Int(Double(line.split(separator: " ").last ?? "") ?? -1)
        }
        return 0
    }

    @Test("A report on the predicted path is left to the cycle; a manoeuvre is checked at once and raises the conflict")
    func predictedReportsSkipManoeuvresChecked() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue"), red = try await s.token("red")
            let http = s.http()
            // Blue eastbound and red northbound, 100 NM apart: no conflict.
            let t0 = Date().timeIntervalSince1970
            let start = Crossing.positions(secondsToMeet: 60)
            #expect(try await http.post("/v1/tracks", token: blue, body: Body.batch([
                Body.report("B1", time: t0, lat: start.blue.0, lon: start.blue.1 - 2, trk: 90)])).status == 202)
            #expect(try await http.post("/v1/tracks", token: red, body: Body.batch([
                Body.report("R1", time: t0, lat: start.red.0, lon: start.red.1, trk: 0)])).status == 202)
            try await Task.sleep(for: .milliseconds(500))   // ≥ 2 cycles: both in the snapshot
            let before = try await http.get("/metrics").body
            // Blue's next report exactly on its predicted path: skipped.
            let p = AircraftState(id: "B1", time: t0, lat: start.blue.0, lon: start.blue.1 - 2, altFt: 35000, gsKt: 420, trkDeg: 90, vsFpm: 0)
                .projected(by: 1)
            #expect(try await http.post("/v1/tracks", token: blue, body: Body.batch([
                Body.report("B1", time: t0 + 1, lat: p.lat, lon: p.lon, trk: 90)])).status == 202)
            let mid = try await http.get("/metrics").body
            #expect(Self.counter(mid, "deconflict_incremental_skipped_total") == Self.counter(before, "deconflict_incremental_skipped_total") + 1)
            #expect(Self.counter(mid, "deconflict_incremental_checked_total") == Self.counter(before, "deconflict_incremental_checked_total"))
            // Blue jumps onto a collision course with red (a "manoeuvre"): checked at once,
            // and the conflict event says the report raised it.
            let probe = try await StreamProbe.open(port: s.port, token: blue)
            #expect(try await http.post("/v1/tracks", token: blue, body: Body.batch([
                Body.report("B1", time: t0 + 2, lat: start.blue.0, lon: start.blue.1, trk: 90)])).status == 202)
            let after = try await http.get("/metrics").body
            #expect(Self.counter(after, "deconflict_incremental_checked_total") >= Self.counter(mid, "deconflict_incremental_checked_total") + 1)
            let c = try await probe.wait(timeout: 5) { $0["type"] as? String == "conflict" && $0["state"] as? String == "new" }
            #expect(c["own"] as? String == "B1")
            #expect(c["trigger"] as? String == "report")
            await probe.close()
        }
    }
}
