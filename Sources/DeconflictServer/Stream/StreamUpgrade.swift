import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import DeconflictFormats

/// `GET /v1/stream` as a WebSocket. The token comes in `Authorization: Bearer …`
/// (or `?access_token=` for browsers, which cannot set headers on a WebSocket).
/// A request that is not a valid upgrade falls through to the HTTP router, which
/// answers 401/403/426 as problem+json.
///
/// Messages are JSON text: first `hello` (with the newest cursor), then a `gap` if the
/// asked-for cursor is too old, then the kept events after `?since=`, then live events.
/// Every event has a `cursor`; reconnect with `?since=<last cursor seen>` to lose nothing.
struct StreamUpgrade: Sendable {
    let tokens: TokenService
    let hub: EventHub
    let metrics: ServerMetrics

    func shouldUpgrade(_ head: HTTPRequest, _ logger: Logger) async -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let target = head.path ?? ""
        let comps = URLComponents(string: target)
        guard comps?.path == "/v1/stream" else { return .dontUpgrade }
        let query = Dictionary((comps?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        let header = AuthMiddleware.bearer(head.headerFields[.authorization])
        // A token in the header and another in the query: refused (which one would count?).
        if header != nil && query["access_token"] != nil { return .dontUpgrade }
        guard let token = header ?? query["access_token"],
              let identity = try? await tokens.verify(token), identity.has(.trafficRead) else {
            return .dontUpgrade
        }
        var since: UInt64?
        if let s = query["since"] {
            guard let v = UInt64(s) else { return .dontUpgrade }
            since = v
        }
        let from = since
        return .upgrade([:]) { inbound, outbound, _ in
            try await serve(identity: identity, since: from, inbound: inbound, outbound: outbound)
        }
    }

    private func serve(identity: Identity, since: UInt64?, inbound: WebSocketInboundStream,
                       outbound: WebSocketOutboundWriter) async throws {
        let party = identity.party
        let sub = hub.subscribe(party, since: since)
        defer { hub.unsubscribe(sub) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Revocation (of the token or the party, from this process or `party revoke`
                // in another) and expiry take effect on open streams within a second: closed
                // with 1008 (policy violation) and the reason.
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(1))
                    if let why = tokens.stillValid(identity) {
                        metrics.authFailures.increment()
                        try await outbound.close(.policyViolation, reason: why)
                        return
                    }
                }
            }
            group.addTask {
                // Reading keeps pings answered; the client closing ends the stream.
                for try await _ in inbound {}
            }
            group.addTask {
                try await outbound.write(.text(#"{"type":"hello","cursor":\#(sub.startCursor),"party":"\#(party)"}"#))
                if let gap = sub.gap { try await outbound.write(.text(gap.json)) }
                var last: UInt64 = 0
                for e in sub.backlog {
                    try await outbound.write(.text(e.json))
                    last = e.cursor
                }
                for await e in sub.live where e.cursor > last {
                    try await outbound.write(.text(e.json))
                    if let r = e.received { metrics.reportToPushSeconds.record(ContinuousClock.now - r) }
                    last = e.cursor
                }
                if sub.overflowed {
                    try? await outbound.close(.policyViolation, reason: "too slow: reconnect with since=\(last)")
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }
}
