import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// `--url`, `--token`, `--ca-file`: a party's connection to any running service (http or
/// https; TLS verified against the system's roots or `--ca-file`).
struct ServiceOptions: ParsableArguments {
    @Option(help: "The service, e.g. http://127.0.0.1:8080 or https://deconflict.example.")
    var url: String = "http://127.0.0.1:8080"

    @Option(help: "The party's bearer token (from `deconflict party`). [env DECONFLICT_TOKEN]")
    var token: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("HTTPS: trust the certificates in this PEM file (e.g. a private CA) instead of the system's.", valueName: "pem-file"))
    var caFile: String?

    func validate() throws {
        guard let c = URLComponents(string: url), let scheme = c.scheme, ["http", "https"].contains(scheme), c.host?.isEmpty == false else {
            throw ValidationError("--url must be http://HOST[:PORT] or https://HOST[:PORT], found \(url)")
        }
        if caFile != nil, scheme != "https" { throw ValidationError("--ca-file is for an https:// --url") }
        if resolvedToken().isEmpty { throw ValidationError("--token (or DECONFLICT_TOKEN) is required") }
    }

    func resolvedToken(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        token ?? env["DECONFLICT_TOKEN"] ?? ""
    }

    func client() throws -> ServiceClient { try ServiceClient(base: url, token: resolvedToken(), caFile: caFile) }
}

/// A small client of the API for the CLI's one-shot commands.
final class ServiceClient: Sendable {
    let http: HTTPClient
    let base: String
    let token: String

    struct Reply: Sendable {
        var status: Int
        var contentType: String
        var body: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        /// A problem's detail, or the body's start.
        var detail: String { object["detail"] as? String ?? String(body.prefix(300)) }
    }

    init(base: String, token: String, caFile: String?) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else { throw ValidationError("--ca-file \(caFile): no readable file") }
            tls.trustRoots = .file(caFile)
        }
        var config = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: .seconds(10), read: .seconds(60)))
        config.httpVersion = .http1Only
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.token = token
    }

    enum Method: String, Sendable { case GET, PUT, DELETE, POST }

    func send(_ method: Method, _ path: String, body: String? = nil, contentType: String = "application/json",
              accept: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method.rawValue)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response: HTTPClientResponse
        do { response = try await http.execute(request, timeout: .seconds(60)) } catch {
            throw CLIError("\(method.rawValue) \(base)\(path): \(error)")
        }
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type") ?? "",
                     body: String(buffer: bytes))
    }

    /// GET `path` as bytes (binary resources: ledger tiles); nil on 404.
    func bytes(_ path: String) async throws -> [UInt8]? {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response: HTTPClientResponse
        do { response = try await http.execute(request, timeout: .seconds(60)) } catch {
            throw CLIError("GET \(base)\(path): \(error)")
        }
        let body = try await response.body.collect(upTo: 64 << 20)
        if response.status.code == 404 { return nil }
        guard response.status.code == 200 else {
            throw CLIError("GET \(base)\(path): HTTP \(response.status.code): \(String(buffer: body).prefix(300))")
        }
        return Array(body.readableBytesView)
    }

    func shutdown() async { try? await http.shutdown() }
}
