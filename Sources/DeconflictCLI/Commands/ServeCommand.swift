import ArgumentParser
import DeconflictServer
import Foundation
import Logging

/// `deconflict serve`: the service (HTTP API, WebSocket stream, /metrics, /health).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the deconfliction service.",
        discussion: "Stops gracefully on SIGTERM/SIGINT: in-flight requests finish and the live picture is saved to the data directory."
    )

    @OptionGroup var data: DataOptions
    @Option(help: "Port to listen on (0: any free port).") var port: Int = 8080
    @Option(help: "Address to bind.") var host: String = "127.0.0.1"
    @Option(help: "Intent store: 'sqlite' (embedded, intents.sqlite in the data directory), 'sqlite:DIR' (in DIR), 'postgres' (from DECONFLICT_PG_URL or PG* variables) or a postgres:// URL.") var store: String = "sqlite"
    @Option(name: .customLong("vicinity-nm"), help: "Show other parties' aircraft within this distance of one's own.") var vicinityNM: Double = 40
    @Option(name: .customLong("vicinity-ft"), help: "…and within this height.") var vicinityFt: Double = 5000
    @Option(help: "DO-365 alerter for alert levels: phase1 (default), phase2, noncoop, cylinder, or a config file (docs/alerting.md).")
    var alerter: String = "phase1"
    @Option(name: .customLong("cycle-ms"), help: "Full detection cycle period, ms.") var cycleMs: Int = 1000
    @Flag(inversion: .prefixedNo, help: "Push `track` events (other parties' aircraft in the vicinity) every cycle.")
    var streamTracks: Bool = true
    @Option(name: .customLong("log-level"), help: "Least severe level logged.") var logLevel: Logger.Level = .info
    @Option(name: .customLong("log-format"), help: "json (one object per line on stderr) or text.") var logFormat: ServerLogging.Format = .json

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard vicinityNM > 0, vicinityFt > 0 else { throw ValidationError("vicinity must be positive") }
        guard cycleMs >= 50 else { throw ValidationError("--cycle-ms must be at least 50") }
        _ = try StoreSelection.location(store, dataDirectory: data.url)
    }

    func run() async throws {
        let logger = ServerLogging.bootstrap(format: logFormat, level: logLevel)
        var config = ServerConfig(dataDirectory: data.url)
        config.host = host; config.port = port; config.store = store; config.audience = data.audience
        config.vicinityNM = vicinityNM; config.vicinityFt = vicinityFt
        config.cycleInterval = .milliseconds(cycleMs)
        config.streamTracks = streamTracks
        do { config.alerter = try AlerterOption.resolve(alerter) } catch { throw ValidationError("\(error)") }
        let server = try await DeconflictService(config: config, logger: logger)
        try await server.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension ServerLogging.Format: ExpressibleByArgument {}
