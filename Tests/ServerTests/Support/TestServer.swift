import DeconflictServer
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdTLS
import Logging
import ServiceLifecycle

/// A real server on a free loopback port with its own data directory, stopped
/// gracefully (as by SIGTERM) when the body returns.
struct TestServer {
    let port: Int
    let server: DeconflictService
    let dir: URL

    static func tempDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("deconflict-test-\(UUID().uuidString)")
    }

    static func with<T: Sendable>(dir: URL = tempDir(), _ tweak: (inout ServerConfig) -> Void = { _ in },
                                  _ body: @Sendable (TestServer) async throws -> T) async throws -> T {
        var config = ServerConfig(dataDirectory: dir)
        config.port = 0
        config.cycleInterval = .milliseconds(200)
        tweak(&config)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let server = try await DeconflictService(config: config, logger: logger)
        let ports = AsyncStream<Int>.makeStream()
        let app = try server.application { ports.continuation.yield($0); ports.continuation.finish() }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do { try await group.run() } catch { ports.continuation.finish(); throw error }
            }
            var port = 0
            for await p in ports.stream { port = p }
            let harness = TestServer(port: port, server: server, dir: dir)
            do {
                let value = try await body(harness)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                tasks.cancelAll()
                throw error
            }
        }
    }

    /// Registers `party` (if new) and returns a fresh token with `scopes`.
    func token(_ party: String, _ scopes: [Scope] = Scope.defaultGrant, ttl: Double = 600) async throws -> String {
        _ = try server.tokens.registry.upsert(party: party, scopes: scopes)
        return try await server.tokens.issue(party: party, scopes: scopes, ttl: ttl).token
    }

    func http() -> HTTP { HTTP(port: port) }
}

/// An HTTP/1.1 client over loopback (Hummingbird's), plain or over TLS.
struct HTTP: Sendable {
    let port: Int
    var tls: TLSConfiguration? = nil
    var timeout: Duration = .seconds(15)

    struct Reply: Sendable {
        var status: Int
        var contentType: String
        var body: String
        var headers: HTTPFields = [:]
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    func request(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, rawAuth: String? = nil,
                 body: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        try await TestClient.withClient(host: "127.0.0.1", port: port,
                                        // SNI takes a name, not an address: the test certificate names localhost.
                                        configuration: .init(tlsConfiguration: tls, timeout: timeout,
                                                             serverName: tls == nil ? nil : "localhost")) { client in
            var headers = extra
            if let token { headers[.authorization] = "Bearer \(token)" }
            if let rawAuth { headers[.authorization] = rawAuth }
            if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
            let r = try await client.execute(.init(path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }))
            let reply = Reply(status: r.status.code, contentType: r.headers[.contentType] ?? "",
                              body: r.body.map { String(buffer: $0) } ?? "", headers: r.headers)
            ContractLog.response(method: method.rawValue, path: path, status: reply.status,
                                 contentType: reply.contentType, body: reply.body)
            return reply
        }
    }

    func get(_ path: String, token: String? = nil) async throws -> Reply { try await request(.get, path, token: token) }
    func post(_ path: String, token: String?, body: String) async throws -> Reply {
        try await request(.post, path, token: token, body: body)
    }
}
