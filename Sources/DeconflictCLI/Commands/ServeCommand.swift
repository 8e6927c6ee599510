import ArgumentParser
import DeconflictLedger
import DeconflictFormats
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
    @Option(help: "Port to listen on (0: any free port). [env DECONFLICT_PORT; default 8080]") var port: Int?
    @Option(help: "Address to bind. [env DECONFLICT_HOST; default 127.0.0.1]") var host: String?
    @Option(help: "Intent store: 'sqlite' (embedded, intents.sqlite in the data directory), 'sqlite:DIR' (in DIR), 'postgres' (from DECONFLICT_PG_URL or PG* variables) or a postgres:// URL. [env DECONFLICT_STORE; default sqlite]")
    var store: String?
    @Option(name: .customLong("vicinity-nm"), help: "Show other parties' aircraft within this distance of one's own. [env DECONFLICT_VICINITY_NM; default 40]")
    var vicinityNM: Double?
    @Option(name: .customLong("vicinity-ft"), help: "…and within this height. [env DECONFLICT_VICINITY_FT; default 5000]")
    var vicinityFt: Double?
    @Option(help: "DO-365 alerter for alert levels: phase1, phase2, noncoop, cylinder, or a config file (docs/alerting.md). [env DECONFLICT_ALERTER; default phase1]")
    var alerter: String?
    @Option(name: .customLong("cycle-ms"), help: "Full detection cycle period, ms. [env DECONFLICT_CYCLE_MS; default 1000]") var cycleMs: Int?
    @Flag(inversion: .prefixedNo, help: "Push `track` events (other parties' aircraft in the vicinity) every cycle. [env DECONFLICT_STREAM_TRACKS=true|false; default on]")
    var streamTracks: Bool?
    @Option(name: .customLong("log-level"), help: "Least severe level logged. [env DECONFLICT_LOG_LEVEL; default info]") var logLevel: Logger.Level?
    @Option(name: .customLong("log-format"), help: "json (one object per line on stderr) or text. [env DECONFLICT_LOG_FORMAT; default json]")
    var logFormat: ServerLogging.Format?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS: the certificate chain, a PEM file (with --tls-key). [env DECONFLICT_TLS_CERT; default plain HTTP]", valueName: "pem-file"))
    var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: ArgumentHelp("…and its private key, a PEM file. [env DECONFLICT_TLS_KEY]", valueName: "pem-file"))
    var tlsKey: String?

    @Option(name: .customLong("w84-offset-m"), help: "F3548 intents: the WGS-84 height of pressure altitude 0 here, metres (W84 height = pressure altitude + this; the geoid undulation plus the pressure offset). [env DECONFLICT_W84_OFFSET_M; default 0: taken as equal]")
    var w84OffsetM: Double?

    @Option(name: .customLong("ledger-origin"), help: "The ledger's origin: the first line of every checkpoint and its key's name, fixed when the key is first made (docs/ledger.md). [env DECONFLICT_LEDGER_ORIGIN; default deconflict.local/v1/ledger]")
    var ledgerOrigin: String?

    /// Each option: the flag, else its `DECONFLICT_*` variable, else the default.
    struct Settings {
        var port = 8080, host = "127.0.0.1", store = "sqlite", vicinityNM = 40.0, vicinityFt = 5000.0
        var alerter = "phase1", cycleMs = 1000, streamTracks = true
        var logLevel = Logger.Level.info, logFormat = ServerLogging.Format.json
        var tlsCert = "", tlsKey = "", w84OffsetM = 0.0
        var ledgerOrigin = "deconflict.local/v1/ledger"
    }

    func settings(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
        func value<T: ExpressibleByArgument>(_ flag: T?, _ name: String, _ fallback: T) throws -> T {
            if let flag { return flag }
            guard let text = env[name], !text.isEmpty else { return fallback }
            guard let v = T(argument: text) else { throw ValidationError("\(name)=\(text) is not a valid value") }
            return v
        }
        let d = Settings()
        return Settings(port: try value(port, "DECONFLICT_PORT", d.port), host: try value(host, "DECONFLICT_HOST", d.host),
                        store: try value(store, "DECONFLICT_STORE", d.store),
                        vicinityNM: try value(vicinityNM, "DECONFLICT_VICINITY_NM", d.vicinityNM),
                        vicinityFt: try value(vicinityFt, "DECONFLICT_VICINITY_FT", d.vicinityFt),
                        alerter: try value(alerter, "DECONFLICT_ALERTER", d.alerter),
                        cycleMs: try value(cycleMs, "DECONFLICT_CYCLE_MS", d.cycleMs),
                        streamTracks: try value(streamTracks, "DECONFLICT_STREAM_TRACKS", d.streamTracks),
                        logLevel: try value(logLevel, "DECONFLICT_LOG_LEVEL", d.logLevel),
                        logFormat: try value(logFormat, "DECONFLICT_LOG_FORMAT", d.logFormat),
                        tlsCert: try value(tlsCert, "DECONFLICT_TLS_CERT", d.tlsCert),
                        tlsKey: try value(tlsKey, "DECONFLICT_TLS_KEY", d.tlsKey),
                        w84OffsetM: try value(w84OffsetM, "DECONFLICT_W84_OFFSET_M", d.w84OffsetM),
                        ledgerOrigin: try value(ledgerOrigin, "DECONFLICT_LEDGER_ORIGIN", d.ledgerOrigin))
    }

    func validate() throws {
        let s = try settings()
        guard (0...65535).contains(s.port) else { throw ValidationError("--port must be 0…65535") }
        guard s.vicinityNM > 0, s.vicinityFt > 0 else { throw ValidationError("vicinity must be positive") }
        guard s.cycleMs >= 50 else { throw ValidationError("--cycle-ms must be at least 50") }
        _ = try StoreSelection.location(s.store, dataDirectory: data.url)
        _ = try s.tls()
        guard Note.validName(s.ledgerOrigin) else {
            throw ValidationError("--ledger-origin must be non-empty, without spaces or '+' (a signed-note key name), not '\(s.ledgerOrigin)'")
        }
        guard s.w84OffsetM.isFinite, abs(s.w84OffsetM) <= 1000 else { throw ValidationError("--w84-offset-m must be within ±1000 m") }
    }

    func run() async throws {
        let s = try settings()
        let logger = ServerLogging.bootstrap(format: s.logFormat, level: s.logLevel)
        var config = ServerConfig(dataDirectory: data.url)
        config.host = s.host; config.port = s.port; config.store = s.store; config.audience = data.audience
        config.vicinityNM = s.vicinityNM; config.vicinityFt = s.vicinityFt
        config.cycleInterval = .milliseconds(s.cycleMs)
        config.streamTracks = s.streamTracks
        config.tls = try s.tls()
        config.altitudeDatum = AltitudeDatum(w84MinusPressure: s.w84OffsetM)
        config.ledgerOrigin = s.ledgerOrigin
        do { config.alerter = try AlerterOption.resolve(s.alerter) } catch { throw ValidationError("\(error)") }
        let server = try await DeconflictService(config: config, logger: logger)
        try await server.run()
    }
}

extension ServeCommand.Settings {
    /// Both TLS files or neither.
    func tls() throws -> TLSFiles? {
        switch (tlsCert.isEmpty, tlsKey.isEmpty) {
        case (true, true): return nil
        case (false, false): return TLSFiles(certificateChain: tlsCert, privateKey: tlsKey)
        case (false, true): throw ValidationError("--tls-cert needs --tls-key (the certificate's private key)")
        case (true, false): throw ValidationError("--tls-key needs --tls-cert (the certificate chain)")
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension ServerLogging.Format: ExpressibleByArgument {}
