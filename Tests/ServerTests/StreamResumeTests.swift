import DeconflictServer
import Foundation
import Testing

@Suite("Event stream")
struct StreamResumeTests {
    /// Produces a new conflict between fresh blue/red aircraft (new ids, and a meeting
    /// point of their own, one degree of latitude per `n`): 70 s to meet, so DO-365 well clear
    /// is entered in ≈ 35 s → an alert (level 2) after the filter's second sample (≤ 2 cycles).
    static func makeConflict(_ s: TestServer, blue: String, red: String, n: Int) async throws {
        let b = Crossing.bodies(secondsToMeet: 70, blue: "B\(n)", red: "R\(n)", lat0: 40 + Double(n))
        _ = try await s.http().post("/v1/tracks", token: blue, body: b.blue)
        _ = try await s.http().post("/v1/tracks", token: red, body: b.red)
    }

    @Test("Reconnecting with the last cursor loses no event and repeats none")
    func resumeLosesNothing() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue"), red = try await s.token("red")
            let first = try await StreamProbe.open(port: s.port, token: blue)
            try await Self.makeConflict(s, blue: blue, red: red, n: 1)
            _ = try await first.wait(timeout: 5) { $0["type"] as? String == "alert" }
            let last = try #require(first.all.compactMap { $0["cursor"] as? UInt64 }.max())
            await first.close()
            // While disconnected: two more conflicts.
            try await Self.makeConflict(s, blue: blue, red: red, n: 2)
            try await Self.makeConflict(s, blue: blue, red: red, n: 3)
            try await Task.sleep(for: .milliseconds(2500))
            let second = try await StreamProbe.open(port: s.port, token: blue, since: last)
            _ = try await second.wait(timeout: 5) { ($0["own"] as? String) == "B3" && $0["type"] as? String == "alert" }
            let events = second.all.filter { $0["type"] as? String != "hello" }
            #expect(!events.contains { $0["type"] as? String == "gap" })
            let cursors = events.compactMap { $0["cursor"] as? UInt64 }
            #expect(cursors == cursors.sorted() && Set(cursors).count == cursors.count, "increasing, no repeats")
            #expect(cursors.allSatisfy { $0 > last })
            // Exactly what the log holds after `last`, alerts included.
            let alerts = try await s.http().get("/v1/alerts?since=\(last)", token: blue).object["alerts"] as? [[String: Any]]
            let streamedAlerts = events.filter { $0["type"] as? String == "alert" }.compactMap { $0["cursor"] as? UInt64 }
            #expect(alerts?.compactMap { $0["cursor"] as? UInt64 } == streamedAlerts)
            #expect(Set(events.filter { $0["type"] as? String == "alert" }.compactMap { $0["own"] as? String }) == ["B2", "B3"])
            await second.close()
        }
    }

    @Test("A cursor older than the kept log gets an explicit gap event")
    func tooOldCursorGetsGap() async throws {
        try await TestServer.with({ $0.eventLogCapacity = 4; $0.streamTracks = false }) { s in
            let blue = try await s.token("blue"), red = try await s.token("red")
            let start = s.server.hub.current
            for n in 1...4 { try await Self.makeConflict(s, blue: blue, red: red, n: n) }
            try await Task.sleep(for: .milliseconds(2500))
            let probe = try await StreamProbe.open(port: s.port, token: blue, since: start)
            let gap = try await probe.wait(timeout: 5) { $0["type"] as? String == "gap" }
            #expect(gap["from"] as? UInt64 == start)
            #expect((gap["to"] as? UInt64 ?? 0) > start)
            let r = try await s.http().get("/v1/alerts?since=\(start)", token: blue).object
            #expect(r["gap"] is [String: Any])
            await probe.close()
            let bad = try await s.http().get("/v1/alerts?since=abc", token: blue)
            #expect(bad.status == 400 && bad.contentType == "application/problem+json")
        }
    }

    @Test("The stream refuses a bad token (401) and a plain GET (426)")
    func streamRefusals() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue")
            let plain = try await s.http().get("/v1/stream", token: blue)
            #expect(plain.status == 426 && plain.contentType == "application/problem+json")
            let anon = try await s.http().get("/v1/stream")
            #expect(anon.status == 401)
            await #expect(throws: (any Error).self) { _ = try await StreamProbe.open(port: s.port, token: "junk") }
        }
    }
}
