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
    /// Like ``run(_:token:since:skipTracks:onEvent:)``, but reconnects with `since=<last
    /// cursor seen>` when the server closes the stream (e.g. 1008 for a reader that fell
    /// behind), as a client should; until the task is cancelled. Counts reconnections.
    static func follow(_ url: LoopbackURL, token: String, skipTracks: Bool = false,
                       onEvent: @escaping @Sendable ([String: Any]) -> Void) async throws {
        let last = LastCursor()
        while !Task.isCancelled {
            try? await run(url, token: token, since: last.value, skipTracks: skipTracks) { e in
                if let c = e["cursor"] as? UInt64 { last.value = c }
                onEvent(e)
            }
            if Task.isCancelled { break }
            reconnections.increment()
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    final class LastCursor: @unchecked Sendable {
        private let lock = NSLock()
        private var v: UInt64?
        var value: UInt64? {
            get { lock.withLock { v } }
            set { lock.withLock { v = newValue } }
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func increment() { lock.withLock { n += 1 } }
        var value: Int { lock.withLock { n } }
    }
    static let reconnections = Counter()

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
    typealias Row = (id: String, time: Double, lat: Double, lon: Double, alt: Double, gs: Double, trk: Double, vs: Double)

    /// `{"reports":[…]}` for `rows`, yielding to other tasks every 500 reports (the load
    /// generator's stream readers must not wait behind a big batch being written).
    static func batch(_ rows: [Row]) async -> String {
        var b: [UInt8] = []
        b.reserveCapacity(rows.count * 140 + 16)
        b += #"{"reports":["#.utf8
        for (k, r) in rows.enumerated() {
            if k > 0 { b.append(UInt8(ascii: ",")) }
            if k % 500 == 499 { await Task.yield() }
            append(r, &b)
        }
        b += "]}".utf8
        return String(decoding: b, as: UTF8.self)
    }

    private static func append(_ r: Row, _ b: inout [UInt8]) {
        b += #"{"aircraft":""#.utf8; b += r.id.utf8
        b += #"","time":"#.utf8; fixed(r.time, 3, &b)
        b += #","lat":"#.utf8; fixed(r.lat, 6, &b)
        b += #","lon":"#.utf8; fixed(r.lon, 6, &b)
        b += #","alt_ft":"#.utf8; fixed(r.alt, 1, &b)
        b += #","gs_kt":"#.utf8; fixed(r.gs, 1, &b)
        b += #","trk_deg":"#.utf8; fixed(r.trk, 2, &b)
        b += #","vs_fpm":"#.utf8; fixed(r.vs, 1, &b)
        b.append(UInt8(ascii: "}"))
    }

    static let scales: [Double] = (0...9).map { k in (0..<k).reduce(1.0) { a, _ in a * 10 } }

    /// `x` with `places` decimals (0…9), appended as ASCII (the generator's hot path).
    static func fixed(_ x: Double, _ places: Int, _ b: inout [UInt8]) {
        let v = (x * scales[places]).rounded()
        guard v.isFinite, abs(v) < 9e18 else { b += "0".utf8; return }
        if v < 0 { b.append(UInt8(ascii: "-")) }
        var a = UInt64(abs(v))
        var digits: [UInt8] = []
        digits.reserveCapacity(24)
        var n = 0
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(a % 10)); a /= 10; n += 1
            if n == places { digits.append(UInt8(ascii: ".")) }
        } while a > 0 || n <= places
        b += digits.reversed()
    }

    /// Fixed decimals as a String (tests, small uses).
    static func fmt(_ x: Double, _ places: Int) -> String {
        var b: [UInt8] = []
        fixed(x, places, &b)
        return String(decoding: b, as: UTF8.self)
    }
}
