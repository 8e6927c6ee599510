import Foundation
import HummingbirdTLS
import HummingbirdWSClient
import Logging
import DeconflictCore

/// A WebSocket client on `/v1/stream` that records every message, for tests.
final class StreamProbe: @unchecked Sendable {
    private let lock = Lock()
    private var messages: [[String: Any]] = []
    private var closeContinuation: AsyncStream<Void>.Continuation?
    private var task: Task<Void, Never>?
    private(set) var error: (any Error)?

    /// Connects and waits for the `hello` message.
    static func open(port: Int, token: String, since: UInt64? = nil, tls: TLSConfiguration? = nil) async throws -> StreamProbe {
        let probe = StreamProbe()
        let (closeStream, closeCont) = AsyncStream<Void>.makeStream()
        probe.closeContinuation = closeCont
        var logger = Logger(label: "probe")
        logger.logLevel = .error
        // Over TLS by name (SNI takes no address; the test certificate names localhost).
        let url = (tls == nil ? "ws://127.0.0.1:" : "wss://localhost:") + "\(port)/v1/stream" + (since.map { "?since=\($0)" } ?? "")
        let client = WebSocketClient(url: url, configuration: .init(maxFrameSize: 1 << 24, additionalHeaders: [.authorization: "Bearer \(token)"]),
                                     tlsConfiguration: tls, logger: logger) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { g in
                g.addTask {
                    for try await m in inbound.messages(maxSize: 1 << 24) {
                        if case .text(let s) = m {
                            ContractLog.stream(s)
                            if let o = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any] { probe.append(o) }
                        }
                    }
                }
                g.addTask {
                    for await _ in closeStream { break }
                    try await outbound.close(.normalClosure, reason: nil)
                }
                try await g.next()
                g.cancelAll()
            }
        }
        probe.task = Task {
            do { try await client.run() } catch { probe.setError(error) }
            probe.markFinished()
        }
        _ = try await probe.wait(timeout: 5) { $0["type"] as? String == "hello" }
        return probe
    }

    private func append(_ o: [String: Any]) { lock.withLock { messages.append(o) } }
    private func setError(_ e: any Error) { lock.withLock { error = e } }

    var all: [[String: Any]] { lock.withLock { messages } }

    /// The first message matching `pred`, waiting up to `timeout` seconds.
    func wait(timeout: Double, _ pred: @escaping ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let m = all.first(where: pred) { return m }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ProbeTimeout(seen: all.map { "\($0)" })
    }

    /// True once the server closed the stream (the client task ended), waiting up to `timeout`.
    func waitClosedByServer(timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if finished { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return finished
    }
    private var finishedFlag = false
    var finished: Bool { lock.withLock { finishedFlag } }
    fileprivate func markFinished() { lock.withLock { finishedFlag = true } }

    func close() async {
        closeContinuation?.yield()
        closeContinuation?.finish()
        _ = await task?.value
    }
}

struct ProbeTimeout: Error, CustomStringConvertible {
    var seen: [String]
    var description: String { "timed out; saw \(seen.count) messages: \(seen.suffix(5))" }
}
