import DeconflictCore
@testable import DeconflictCLI
import DeconflictFormats
import DeconflictServer
import Foundation
import Testing

@Suite("Feeds end to end")
struct FeedEndToEndTests {
    /// Blue's receiver recording (Beast, made with the Mode S encoder: position pairs,
    /// velocity, AP replies, all-calls, identification) is replayed by `deconflict feed`'s
    /// feeder into a real server; red reports its own flight by SBS-1 lines through a second
    /// feeder. The decoded positions raise a conflict that reaches red's stream — with blue's
    /// aircraft behind an opaque id — and blue's stream names its own aircraft by address.
    @Test("A Beast capture replayed by a feeder raises an alert on the other party's stream")
    func beastReplayRaisesAlertForOtherParty() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue"), red = try await s.token("red")
            let bs = try await StreamProbe.open(port: s.port, token: blue)
            let rs = try await StreamProbe.open(port: s.port, token: red)
            // Meeting at (50 N, 5 E) 80 s after the recordings start: blue eastbound, red
            // northbound, both 420 kt at FL350 (the geometry of the crossing tests).
            let start = Crossing.positions(secondsToMeet: 80)
            var feed = SyntheticFeed(flights: [.init(address: 0xB1E001, callsign: "BLU1", lat: start.blue.0, lon: start.blue.1,
                                                     altFt: 35_000, gsKt: Crossing.gsKt, trkDeg: 90)])
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("feed-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let beast = dir.appendingPathComponent("blue.bin")
            try Data(feed.beastRecording(seconds: 12, rate: 40)).write(to: beast)
            // Red's SBS lines: readsb style (UTC), one position and one velocity a second.
            var sbs = ""
            let t0 = Date().timeIntervalSince1970.rounded(.down)
            for k in 0..<12 {
                let p = AircraftState(id: "", lat: start.red.0, lon: start.red.1, altFt: 35_000, gsKt: Crossing.gsKt,
                                      trkDeg: 0, vsFpm: 0).projected(by: Double(k))
                let stamp = Self.sbsTime(t0 + Double(k))
                sbs += "MSG,4,1,1,E0E001,1,\(stamp),\(stamp),,,420,0,,,0,,,,,0\r\n"
                sbs += "MSG,3,1,1,E0E001,1,\(stamp),\(stamp),,35000,,,\(p.lat),\(p.lon),,,0,0,0,0\r\n"
            }
            let sbsFile = dir.appendingPathComponent("red.sbs")
            try Data(sbs.utf8).write(to: sbsFile)
            let base = "http://127.0.0.1:\(s.port)"
            let blueFeeder = Feeder(base: base, token: blue, specs: [try FeedSourceSpec.parse(beast.path)],
                                    receiver: nil, speed: 1, maxBatch: 500)
            let redFeeder = Feeder(base: base, token: red, specs: [try FeedSourceSpec.parse(sbsFile.path + "?tz=UTC")],
                                   receiver: nil, speed: 1, maxBatch: 500)
            async let b: Void = blueFeeder.run(seconds: 0, metricsPort: 0, status: false)
            async let r: Void = redFeeder.run(seconds: 0, metricsPort: 0, status: false)
            let alert = try await rs.wait(timeout: 15) { $0["type"] as? String == "alert" && ($0["level"] as? Int ?? 0) >= 1 }
            #expect(alert["own"] as? String == "e0e001")
            let intruder = try #require(alert["intruder"] as? String)
            #expect(intruder.hasPrefix("x-") && !intruder.contains("b1e001"))
            let own = try await bs.wait(timeout: 5) { $0["type"] as? String == "alert" && ($0["level"] as? Int ?? 0) >= 1 }
            #expect(own["own"] as? String == "b1e001")
            _ = try await (b, r)
            #expect(blueFeeder.poster.snapshot.posted > 10)
            #expect(blueFeeder.runners[0].snapshot.stats.rejected == 0)
            #expect(redFeeder.poster.snapshot.posted >= 10)
            await bs.close(); await rs.close()
        }
    }

    static func sbsTime(_ t: Double) -> String {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy/MM/dd,HH:mm:ss.SSS"
        return f.string(from: Date(timeIntervalSince1970: t))
    }

    /// `deconflict feed` against a live TCP Beast source that drops the connection: the
    /// feeder reconnects, and states keep arriving.
    @Test("The feeder reconnects to a TCP source and keeps posting")
    func reconnectsToTCPSource() async throws {
        try await TestServer.with { s in
            let blue = try await s.token("blue")
            let emitter = try BeastEmitter(feed: .random(count: 20, seed: 3), rate: 400, dropAfter: 300)
            emitter.start()
            defer { emitter.stop() }
            let feeder = Feeder(base: "http://127.0.0.1:\(s.port)", token: blue,
                                specs: [try FeedSourceSpec.parse("beast://127.0.0.1:\(emitter.port)")],
                                receiver: nil, speed: 1, maxBatch: 500)
            try await feeder.run(seconds: 4, metricsPort: 0, status: false)
            let snap = feeder.runners[0].snapshot
            #expect(snap.reconnects >= 1, "the emitter closes after 300 frames")
            #expect(emitter.connections >= 2)
            #expect(feeder.poster.snapshot.posted > 20)
            #expect(snap.stats.rejects[.crc, default: 0] == 0)
            // The same counters as Prometheus text.
            feeder.collect()
            let text = feeder.metrics.registry.emitToString()
            #expect(text.contains("# TYPE deconflict_feed_frames_total gauge"))
            #expect(text.contains("deconflict_feed_frames_total{source=\"beast://127.0.0.1:\(emitter.port)\"} \(Double(snap.stats.inputs))")
                    || text.contains("deconflict_feed_frames_total{source=\"beast://127.0.0.1:\(emitter.port)\"}"))
            #expect(text.contains("deconflict_feed_rejected_total{source=\"beast://127.0.0.1:\(emitter.port)\",reason=\"crc\"} 0"))
            #expect(text.contains("deconflict_feed_posted_total"))
        }
    }
}
