import DeconflictLedger
import DeconflictStore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOSSL
import ServiceLifecycle

/// The service assembled: token checks, intent store, live engine, event hub, routes,
/// WebSocket stream, metrics. `run()` serves until SIGTERM/SIGINT (graceful: in-flight
/// requests finish, then the live picture is saved, then the intent store is closed).
public struct DeconflictService: Sendable {
    public let config: ServerConfig
    public let dataDirectory: DataDirectory
    public let tokens: TokenService
    public let engine: LiveEngine
    public let hub: EventHub
    public let metrics: ServerMetrics
    public let logger: Logger
    /// Strategic intents: SQLite in the data directory (default) or PostgreSQL (`--store`).
    public let store: any IntentStore
    /// The transparency log of everything filed and said (docs/ledger.md), in the same store.
    public let ledger: Ledger
    /// The server's TLS, loaded and checked at start-up (nil: plain HTTP).
    let tls: TLSConfiguration?

    public init(config: ServerConfig, logger: Logger = Logger(label: "deconflict")) async throws {
        self.config = config
        self.logger = logger
        dataDirectory = try DataDirectory(config.dataDirectory)
        tls = try config.tls.map(Self.tlsConfiguration)
        let location = try StoreSelection.location(config.store, dataDirectory: dataDirectory.url)
        let registry = try FilePartyRegistry(dataDirectory)
        tokens = try await TokenService(dataDirectory: dataDirectory, audience: config.audience, registry: registry)
        metrics = ServerMetrics()
        hub = EventHub(capacity: config.eventLogCapacity, metrics: metrics)
        let secret = try ServerSecret.loadOrCreate(in: dataDirectory)
        engine = LiveEngine(config: config, hub: hub, metrics: metrics, ids: OpaqueIDs(secret: secret), logger: logger)
        LiveService.restore(engine, from: dataDirectory, logger: logger)
        let signer = try LedgerKey.loadOrCreate(in: dataDirectory, origin: config.ledgerOrigin)
        let ledgerStorage = try await LedgerStorageSelection.open(location)
        do {
            ledger = try await Ledger(storage: ledgerStorage, signer: signer)
        } catch {
            try? await ledgerStorage.close()
            throw ServerStartError("ledger: \(error)")
        }
        logger.info("ledger open", metadata: ["origin": "\(ledger.origin)", "size": "\(ledger.size)"])
        // Opened last: nothing after it can fail and leave it open.
        do { store = try await StoreSelection.open(location) } catch {
            try? await ledger.close()
            throw error
        }
        logger.info("intent store open", metadata: ["store": "\(location)"])
    }

    /// TLS 1.2+ from the PEM files, the key checked against the certificate now (a wrong
    /// pair fails at start-up, not at the first handshake).
    static func tlsConfiguration(_ files: TLSFiles) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate], key: NIOSSLPrivateKey
        do { chain = try NIOSSLCertificate.fromPEMFile(files.certificateChain) } catch {
            throw ServerStartError("--tls-cert \(files.certificateChain): not a readable PEM certificate file (\(error))")
        }
        guard !chain.isEmpty else { throw ServerStartError("--tls-cert \(files.certificateChain): no certificate in it") }
        do { key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem) } catch {
            throw ServerStartError("--tls-key \(files.privateKey): not a readable PEM private key file (\(error))")
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        do { _ = try NIOSSLContext(configuration: tls) } catch {
            throw ServerStartError("--tls-cert / --tls-key: the key does not match the certificate, or they are unusable (\(error))")
        }
        return tls
    }

    /// The display's static files, shipped as the server's resources.
    static let webRoot: String? = Bundle.module.url(forResource: "static", withExtension: nil)?.path

    /// The router: public service routes, and `/v1` behind the token check.
    public func router() -> Router<AppContext> {
        let router = Router(context: AppContext.self)
        router.add(middleware: ProblemMiddleware(metrics: metrics))
        router.add(middleware: RequestLogMiddleware(.debug))
        if let web = Self.webRoot {
            // The situational display (docs/display.md): a client of the API like any other.
            router.add(middleware: FileMiddleware(web, searchForIndexHtml: true, logger: logger))
        }
        ServiceRoutes(metrics: metrics, engine: engine, tokens: tokens).add(to: router)
        let v1 = router.group("v1").add(middleware: AuthMiddleware(tokens: tokens, metrics: metrics))
        TrackRoutes(engine: engine, config: config, metrics: metrics, ledger: ledger).add(to: v1)
        LedgerRoutes(ledger: ledger).add(to: v1)
        let intents = IntentRoutes(store: store, hub: hub, config: config, logger: logger, ledger: ledger)
        intents.add(to: v1)
        ReadRoutes(engine: engine, hub: hub, config: config, strategic: intents).add(to: v1)
        return router
    }

    /// The Hummingbird application (HTTP/1.1 with WebSocket upgrade on `/v1/stream`).
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws
        -> Application<RouterResponder<AppContext>> {
        let upgrade = StreamUpgrade(tokens: tokens, hub: hub, metrics: metrics)
        let live = LiveService(engine: engine, hub: hub, dataDirectory: dataDirectory,
                               interval: config.cycleInterval, logger: logger)
        let http: HTTPServerBuilder = .http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: 1 << 22))) { head, _, logger in
            await upgrade.shouldUpgrade(head, logger)
        }
        return Application(
            router: router(),
            // With TLS, the same HTTP/1.1 + WebSocket server inside it; plain connections
            // to a TLS port fail their handshake.
            server: try tls.map { try .tls(http, tlsConfiguration: $0) } ?? http,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "deconflict"),
            // Services stop in reverse order: the HTTP server first (in-flight requests
            // finish), then the live service, then the store is closed.
            services: [StoreCloser(store: store, ledger: ledger, logger: logger), live],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Serves until SIGTERM or SIGINT.
    public func run() async throws {
        let scheme = tls == nil ? "http" : "https"
        let app = try application { port in
            logger.info("deconflict serving", metadata: ["url": "\(scheme)://\(config.host):\(port)"])
        }
        try await app.runService()
    }
}

/// `--store`, as ``StoreLocation`` parses it: the embedded SQLite default (`sqlite`:
/// `intents.sqlite` in the data directory, WAL, each acknowledged write fdatasync'ed first;
/// `sqlite:DIR` elsewhere), or PostgreSQL (`postgres://…`, or `postgres` for
/// `DECONFLICT_PG_URL` / the `PG*` variables). This only words its errors for the flag.
public enum StoreSelection {
    /// The store `store` names, a bare `sqlite` being `dataDirectory` (nothing is opened or
    /// created: the CLI validates its flags with this before anything else).
    public static func location(_ store: String, dataDirectory: URL,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StoreLocation {
        do {
            return try StoreLocation(parsing: store, dataDirectory: dataDirectory.path, environment: environment)
        } catch StoreError.unknownStore {
            throw StoreSelectionError(store: store)
        } catch let e as StoreError {
            throw StoreSelectionError(store: StoreLocation.redacted(store), reason: e.description)
        }
    }

    /// Opens (creating and migrating if needed) the store at `location`.
    public static func open(_ location: StoreLocation) async throws -> any IntentStore {
        do {
            return try await location.open()
        } catch let e as StoreError {
            throw StoreSelectionError(store: location.description, reason: e.description)
        }
    }
}

public struct StoreSelectionError: Error, CustomStringConvertible {
    public var store: String
    /// Set when the store was recognised but could not be opened.
    public var reason: String?
    public var description: String {
        if let reason { return "cannot open the intent store \(store): \(reason)" }
        return "--store must be 'sqlite' (the data directory), 'sqlite:DIR', 'postgres' (from DECONFLICT_PG_URL or PG* variables) or a postgres:// URL, not '\(store)'"
    }
}

/// Closes the intent store at graceful shutdown. First in the service list, so it stops
/// last: after the HTTP server has finished its in-flight requests (every acknowledged
/// write was committed before its answer; closing loses nothing).
struct StoreCloser: Service {
    let store: any IntentStore
    let ledger: Ledger
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try await store.close()
            logger.info("intent store closed")
        } catch {
            logger.error("closing the intent store failed", metadata: ["error": "\(error)"])
        }
        do { try await ledger.close() } catch {
            logger.error("closing the ledger failed", metadata: ["error": "\(error)"])
        }
    }
}

/// A start-up refusal with the flag it is about.
public struct ServerStartError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
