import ArgumentParser
import Foundation
import AsyncHTTPClient
import HummingbirdWSClient
import Logging
import HTTPTypes
import NIOCore

/// A `http://host:port` that must be on this machine: `load` and `demo` send traffic
/// only to loopback addresses.
struct LoopbackURL {
    let host: String
    let port: Int

    init(_ text: String) throws {
        guard let c = URLComponents(string: text), c.scheme == "http", let host = c.host else {
            throw ValidationError("--url must look like http://127.0.0.1:8080")
        }
        let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let loopback = h == "localhost" || h == "::1" || (h.hasPrefix("127.") && h.split(separator: ".").count == 4
            && h.split(separator: ".").allSatisfy { UInt8($0) != nil })
        guard loopback else { throw ValidationError("refusing non-loopback URL \(text): load only targets 127.0.0.0/8, ::1 or localhost") }
        self.host = h == "localhost" ? "127.0.0.1" : h
        port = c.port ?? 80
    }

    var base: String { host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)" }
    var ws: String { host.contains(":") ? "ws://[\(host)]:\(port)" : "ws://\(host):\(port)" }
}

/// A party's API client: AsyncHTTPClient with its own keep-alive connection pool.
struct ApiClient: Sendable {
    let client: HTTPClient
    let base: String
    let token: String

    init(_ url: LoopbackURL, token: String) {
        client = HTTPClient(eventLoopGroupProvider: .singleton,
                            configuration: .init(timeout: .init(connect: .seconds(5), read: .seconds(60))))
        base = url.base
        self.token = token
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: String? = nil) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: base + path)
        switch method {
        case .post: request.method = .POST
        case .put: request.method = .PUT
        case .delete: request.method = .DELETE
        default: request.method = .GET
        }
        if !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    func close() async { try? await client.shutdown() }
}

/// Reads a party's event stream, calling `onEvent` with each JSON message.
enum StreamReader {
    /// `skipTracks`: drop `track` events unparsed (they are large; the load generator does not need them).
    static func run(_ url: LoopbackURL, token: String, since: UInt64? = nil, skipTracks: Bool = false,
                    onEvent: @escaping @Sendable ([String: Any]) -> Void) async throws {
        var logger = Logger(label: "deconflict.stream")
        logger.logLevel = .error
        let path = "/v1/stream" + (since.map { "?since=\($0)" } ?? "")
        let ws = WebSocketClient(url: url.ws + path,
                                 configuration: .init(maxFrameSize: 1 << 24, additionalHeaders: [.authorization: "Bearer \(token)"]),
                                 logger: logger) { inbound, _, _ in
            for try await message in inbound.messages(maxSize: 1 << 24) {
                guard case .text(let s) = message, !skipTracks || !s.hasPrefix(#"{"type":"track""#),
                      let obj = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any] else { continue }
                onEvent(obj)
            }
        }
        try await ws.run()
    }
}

/// Writes aviation-unit reports as JSON by hand (the load generator's hot path).
enum ReportJSON {
    static func batch(_ rows: [(id: String, time: Double, lat: Double, lon: Double, alt: Double, gs: Double, trk: Double, vs: Double)]) -> String {
        var s = #"{"reports":["#
        s.reserveCapacity(rows.count * 130 + 16)
        for (k, r) in rows.enumerated() {
            if k > 0 { s += "," }
            s += #"{"aircraft":""# + r.id + #"","time":"# + fmt(r.time, 3) + #","lat":"# + fmt(r.lat, 6)
            s += #","lon":"# + fmt(r.lon, 6) + #","alt_ft":"# + fmt(r.alt, 1) + #","gs_kt":"# + fmt(r.gs, 1)
            s += #","trk_deg":"# + fmt(r.trk, 2) + #","vs_fpm":"# + fmt(r.vs, 1) + "}"
        }
        return s + "]}"
    }

    /// Fixed decimals without Foundation's formatter.
    static func fmt(_ x: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let v = (x * scale).rounded()
        let neg = v < 0
        let a = Int64(abs(v))
        let p = Int64(scale)
        var frac = String(a % p)
        while frac.count < places { frac = "0" + frac }
        return (neg ? "-" : "") + String(a / p) + (places > 0 ? "." + frac : "")
    }
}
