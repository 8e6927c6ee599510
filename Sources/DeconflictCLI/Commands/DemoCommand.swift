import ArgumentParser
import DeconflictCore
import DeconflictServer
import Foundation
import Logging
import ServiceLifecycle
import DeconflictFormats

/// `deconflict demo`: a server on the embedded default, two parties, and simulated
/// crossing traffic that keeps producing conflicts. Prints the URL and both tokens.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a server with two parties and simulated conflicting traffic."
    )

    @Option(help: "Port (0: any free port).") var port: Int = 8080
    @Option(help: "Data directory (default: a fresh temporary one).") var data: String?
    @Option(help: "Stop after this many seconds (default: run until Ctrl-C).") var seconds: Double?

    func run() async throws {
        let dir = data.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("deconflict-demo-\(UInt32.random(in: 0 ... .max))")
        var logger = Logger(label: "deconflict")
        logger.logLevel = .warning
        var config = ServerConfig(dataDirectory: dir)
        config.port = port
        // Parties first, so the server starts with them registered.
        let blue = try await PartyTokens.issue(dir, audience: config.audience, party: "blue", scopes: Scope.defaultGrant, ttl: 12 * 3600)
        let red = try await PartyTokens.issue(dir, audience: config.audience, party: "red", scopes: Scope.defaultGrant, ttl: 12 * 3600)
        let server = try await DeconflictService(config: config, logger: logger)
        let ports = AsyncStream<Int>.makeStream()
        let app = try server.application { ports.continuation.yield($0); ports.continuation.finish() }
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do { try await services.run() } catch { ports.continuation.finish(); throw error }
            }
            var bound = port
            for await p in ports.stream { bound = p }
            let url = try LoopbackURL("http://127.0.0.1:\(bound)")
            print("""
            display: \(url.base)/   (open it in a browser; sign in with a token below)
            deconflict demo serving at \(url.base)  (data: \(dir.path))
            party blue token: \(blue)
            party red token:  \(red)
            try: curl -H "Authorization: Bearer $BLUE" \(url.base)/v1/conflicts
                 websocat -H "Authorization: Bearer $BLUE" \(url.ws)/v1/stream
            """)
            fflush(nil)  // the tokens now, even when stdout is a file or a pipe
            await DemoIntents(url: url, blue: blue, red: red).file()
            // Blue's view of the stream, one line per alert change.
            let watch = Task {
                try? await StreamReader.run(url, token: blue) { e in
                    guard e["type"] as? String == "alert", let own = e["own"] as? String,
                          let level = e["level"] as? Int, let intruder = e["intruder"] as? String else { return }
                    let previous = e["previous_level"] as? Int ?? 0
                    let ttv = (e["time_to_violation_s"] as? Double).map { String(format: ", well clear lost in %.0f s", $0) } ?? ""
                    let tin = (e["tin_s"] as? Double).map { String(format: ", 5 NM in %.0f s", $0) } ?? ""
                    print("blue sees alert: \(own) vs \(intruder) level \(previous) → \(level)\(level > 0 ? ttv + tin : " (resolved)")")
                    fflush(nil)
                }
            }
            let traffic = Task { try await DemoTraffic(url: url, blue: blue, red: red).run() }
            if let seconds {
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                await services.triggerGracefulShutdown()
            }
            try await group.next()  // the server, once shut down (by --seconds or a signal)
            traffic.cancel(); watch.cancel()
        }
    }
}

/// Two overlapping intents, filed as a client would: blue files first; red's first try
/// lacks blue's OVN (409 listing it), the retry with that key is accepted with the conflict.
struct DemoIntents {
    let url: LoopbackURL
    let blue: String
    let red: String

    func file() async {
        let b = ApiClient(url, token: blue), r = ApiClient(url, token: red)
        await exchange(b, r)
        await b.close(); await r.close()
        fflush(nil)
    }

    private func exchange(_ b: ApiClient, _ r: ApiClient) async {
        let start = Date().addingTimeInterval(600), end = start.addingTimeInterval(3600)
        func body(_ lon: Double, key: [String]) -> String {
            let keys = key.map { "\"\($0)\"" }.joined(separator: ",")
            return #"{"state":"accepted","priority":0,"key":[\#(keys)],"volumes":[{"outline":{"type":"circle","center":[\#(lon),52.0],"radius_m":8000},"alt_lower_ft":30000,"alt_upper_ft":40000,"start":"\#(RFC3339.format(start.timeIntervalSince1970.rounded()))","end":"\#(RFC3339.format(end.timeIntervalSince1970.rounded()))"}]}"#
        }
        func say(_ who: String, _ reply: (status: Int, body: String)?) {
            print("intent \(who): HTTP \(reply?.status ?? 0) \(reply?.body.prefix(160) ?? "")")
        }
        let rb = try? await b.send(.put, "/v1/intents/blue-sector-1", body: body(4.0, key: []))
        say("blue-sector-1 (blue)", rb)
        let first = try? await r.send(.put, "/v1/intents/red-sector-1", body: body(4.1, key: []))
        say("red-sector-1 (red, no key)", first)
        guard let first, first.status == 409,
              let obj = try? JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any],
              let missing = obj["missing"] as? [[String: Any]] else { return }
        let again = try? await r.send(.put, "/v1/intents/red-sector-1", body: body(4.1, key: missing.compactMap { $0["ovn"] as? String }))
        say("red-sector-1 (red, with the key)", again)
    }
}

/// Pairs of crossing flights, blue eastbound and red northbound, each pair set to meet
/// about three minutes after it starts; a pair restarts once it has passed.
struct DemoTraffic {
    let url: LoopbackURL
    let blue: String
    let red: String
    var pairs = 4

    func run() async throws {
        let b = ApiClient(url, token: blue), r = ApiClient(url, token: red)
        let start = Date().timeIntervalSince1970
        while !Task.isCancelled {
            let now = Date().timeIntervalSince1970
            var blues: [ReportJSON.Row] = []
            var reds = blues
            for k in 0..<pairs {
                // Each pair cycles every 240 s, staggered; meets at t = 180 s of its cycle.
                let cycle = 240.0
                let t = (now - start + Double(k) * 60).truncatingRemainder(dividingBy: cycle)
                let meetLat = 52.0 + Double(k) * 0.5, meetLon = 4.0
                let gs = 420.0, v = Units.kt(gs)
                let d = v * (t - 180)  // metres past the meeting point
                let dLon = Units.deg(d / (Units.earthRadius * cos(Units.rad(meetLat))))
                let dLat = Units.deg(d / Units.earthRadius)
                blues.append(("BLU\(k + 1)", now, meetLat, meetLon + dLon, 35000, gs, 90, 0))
                reds.append(("RED\(k + 1)", now, meetLat + dLat, meetLon + 0.01, 35000 + Double(k % 2) * 500, gs, 0, 0))
            }
            _ = try? await b.send(.post, "/v1/tracks", body: await ReportJSON.batch(blues))
            _ = try? await r.send(.post, "/v1/tracks", body: await ReportJSON.batch(reds))
            do { try await Task.sleep(for: .seconds(1)) } catch { break }
        }
        await b.close(); await r.close()  // AsyncHTTPClient must be shut down before it goes away
    }
}
