import Foundation
import Hummingbird

/// `GET /v1/traffic`, `GET /v1/conflicts`, `GET /v1/alerts?since=CURSOR`: what the
/// caller needs to know, and nothing more.
struct ReadRoutes {
    let engine: LiveEngine
    let hub: EventHub
    let config: ServerConfig
    /// Strategic conflicts of the caller's intents, for `GET /v1/conflicts`.
    let strategic: IntentRoutes

    struct TrafficBody: Encodable {
        var aircraft: [TrafficView]
        var vicinity_nm: Double
        var vicinity_ft: Double
    }

    /// Tactical conflicts (aircraft pairs, `kind: tactical`) first, then strategic ones
    /// (intent pairs, `kind: strategic`; only with scope `intents.read`).
    struct ConflictsBody: Encodable {
        var conflicts: [AnyConflict]
        /// The caller had more current intents than were examined for strategic conflicts.
        var strategic_truncated: Bool
    }

    enum AnyConflict: Encodable {
        case tactical(ConflictView)
        case strategic(StrategicConflictView)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case let .tactical(c): try c.encode(to: encoder)
            case let .strategic(c): try c.encode(to: encoder)
            }
        }
    }

    func add(to group: RouterGroup<AppContext>) {
        group.get("traffic") { request, context in
            let caller = try context.caller(.trafficRead)
            var aircraft = engine.traffic(for: caller.party)
            if let text = request.uri.queryParameters["bbox"] {
                // A viewport: west,south,east,north in degrees (west > east crosses 180°).
                let v = text.split(separator: ",").map { Double($0) }
                guard v.count == 4, let w = v[0], let s = v[1], let e = v[2], let n = v[3],
                      abs(w) <= 180, abs(e) <= 180, s >= -90, n <= 90, s <= n else {
                    throw Problem.badRequest("bbox must be west,south,east,north in degrees (south ≤ north)")
                }
                aircraft = aircraft.filter {
                    $0.lat >= s && $0.lat <= n && (w <= e ? ($0.lon >= w && $0.lon <= e) : ($0.lon >= w || $0.lon <= e))
                }
            }
            return try Wire.response(TrafficBody(aircraft: aircraft,
                                                    vicinity_nm: config.vicinityNM, vicinity_ft: config.vicinityFt))
        }
        group.get("conflicts") { _, context in
            let caller = try context.caller(.trafficRead)
            var body = ConflictsBody(conflicts: engine.conflicts(for: caller.party).map(AnyConflict.tactical),
                                     strategic_truncated: false)
            if caller.has(.intentsRead) {
                let s = try await strategic.strategicConflicts(for: caller.party)
                body.conflicts += s.conflicts.map(AnyConflict.strategic)
                body.strategic_truncated = s.truncated
            }
            return try Wire.response(body)
        }
        group.get("alerts") { request, context in
            let caller = try context.caller(.trafficRead)
            let since = try Self.cursor(request.uri.queryParameters["since"].map(String.init)) ?? 0
            var limit = 1000
            if let text = request.uri.queryParameters["limit"] {
                guard let v = Int(String(text)), (1...10_000).contains(v) else {
                    throw Problem.badRequest("limit must be an integer 1…10000")
                }
                limit = v
            }
            let r = hub.events(for: caller.party, after: since, limit: .max)
            let alerts = r.events.filter { $0.type == "alert" }.prefix(limit)
            // `next`: resume from the last alert returned, or from the newest event seen.
            let next = alerts.count == limit ? alerts.last!.cursor : r.newest
            let gap = r.gap.map { #"{"from":\#($0.from),"to":\#($0.to)}"# } ?? "null"
            return Wire.response(json: #"{"alerts":[\#(alerts.map(\.json).joined(separator: ","))],"gap":\#(gap),"next":\#(next)}"#)
        }
        group.get("stream") { _, context -> Response in
            _ = try context.caller(.trafficRead)
            throw Problem(.upgradeRequired, "upgrade-required", "GET /v1/stream is a WebSocket: send Upgrade: websocket",
                          headers: [.upgrade: "websocket"])
        }
    }

    /// A cursor query value: absent → nil, else a non-negative integer or 400.
    static func cursor(_ text: String?) throws -> UInt64? {
        guard let text else { return nil }
        guard let v = UInt64(text) else { throw Problem.badRequest("since must be a cursor (a non-negative integer)") }
        return v
    }
}
