import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle

/// The service assembled: token checks, live engine, event hub, routes, WebSocket
/// stream, metrics. `run()` serves until SIGTERM/SIGINT (graceful: in-flight requests
/// finish, then the live picture is saved).
public struct DeconflictService: Sendable {
    public let config: ServerConfig
    public let dataDirectory: DataDirectory
    public let tokens: TokenService
    public let engine: LiveEngine
    public let hub: EventHub
    public let metrics: ServerMetrics
    public let logger: Logger

    public init(config: ServerConfig, logger: Logger = Logger(label: "deconflict")) async throws {
        self.config = config
        self.logger = logger
        dataDirectory = try DataDirectory(config.dataDirectory)
        try StoreSelection.check(config.store)
        let registry = try FilePartyRegistry(dataDirectory)
        tokens = try await TokenService(dataDirectory: dataDirectory, audience: config.audience, registry: registry)
        metrics = ServerMetrics()
        hub = EventHub(capacity: config.eventLogCapacity, metrics: metrics)
        let secret = try ServerSecret.loadOrCreate(in: dataDirectory)
        engine = LiveEngine(config: config, hub: hub, metrics: metrics, ids: OpaqueIDs(secret: secret), logger: logger)
        LiveService.restore(engine, from: dataDirectory, logger: logger)
    }

    /// The router: public service routes, and `/v1` behind the token check.
    public func router() -> Router<AppContext> {
        let router = Router(context: AppContext.self)
        router.add(middleware: ProblemMiddleware(metrics: metrics))
        router.add(middleware: LogRequestsMiddleware(.debug))
        ServiceRoutes(metrics: metrics, engine: engine).add(to: router)
        let v1 = router.group("v1").add(middleware: AuthMiddleware(tokens: tokens, metrics: metrics))
        TrackRoutes(engine: engine, config: config, metrics: metrics).add(to: v1)
        ReadRoutes(engine: engine, hub: hub, config: config).add(to: v1)
        return router
    }

    /// The Hummingbird application (HTTP/1.1 with WebSocket upgrade on `/v1/stream`).
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> Application<RouterResponder<AppContext>> {
        let upgrade = StreamUpgrade(tokens: tokens, hub: hub, metrics: metrics)
        let live = LiveService(engine: engine, hub: hub, dataDirectory: dataDirectory,
                               interval: config.cycleInterval, logger: logger)
        return Application(
            router: router(),
            server: .http1WebSocketUpgrade(configuration: .init(ws: .init(maxFrameSize: 1 << 22))) { head, _, logger in
                await upgrade.shouldUpgrade(head, logger)
            },
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "deconflict"),
            services: [live],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Serves until SIGTERM or SIGINT.
    public func run() async throws {
        let app = application { port in
            logger.info("deconflict serving", metadata: ["url": "http://\(config.host):\(port)"])
        }
        try await app.runService()
    }
}

/// `--store`: the embedded SQLite default, or PostgreSQL by URL. The intent store
/// (branch `store`) plugs in here; until it is merged, tracks live in memory with a
/// snapshot in the data directory and the choice is only validated.
public enum StoreSelection {
    public static func check(_ store: String) throws {
        if store == "sqlite" || store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") { return }
        throw StoreSelectionError(store: store)
    }
}

public struct StoreSelectionError: Error, CustomStringConvertible {
    public var store: String
    public var description: String { "--store must be 'sqlite' or a postgres:// URL, not '\(store)'" }
}
