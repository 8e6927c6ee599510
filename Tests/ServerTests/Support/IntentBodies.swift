import DeconflictCore
import Foundation
import DeconflictFormats

/// JSON bodies for `PUT /v1/intents/{id}`. Times default to a window starting an hour from
/// the first use in this test process (so the intents are "in force" for `GET /v1/conflicts`).
/// One fixed start for the whole run: computed on each use it moved by a minute when a test
/// crossed a minute boundary between writing an intent and checking the echoed times.
enum IntentBody {
    static let hour = 3600.0
    static let t0: Double = (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + hour

    static func time(_ t: Double) -> String { RFC3339.format(t) }

    static func circle(lon: Double = 8.5, lat: Double = 47.4, radius: Double = 1000, lower: Double = 0, upper: Double = 400,
                       start: Double? = nil, end: Double? = nil) -> String {
        let s = start ?? t0, e = end ?? (s + hour)
        return #"{"outline":{"type":"circle","center":[\#(lon),\#(lat)],"radius_m":\#(radius)},"alt_lower_ft":\#(lower),"alt_upper_ft":\#(upper),"start":"\#(time(s))","end":"\#(time(e))"}"#
    }

    static func polygon(_ ring: [(lon: Double, lat: Double)], lower: Double = 0, upper: Double = 400,
                        start: Double? = nil, end: Double? = nil) -> String {
        let s = start ?? t0, e = end ?? (s + hour)
        let coords = ring.map { "[\($0.lon),\($0.lat)]" }.joined(separator: ",")
        return #"{"outline":{"type":"polygon","coordinates":[\#(coords)]},"alt_lower_ft":\#(lower),"alt_upper_ft":\#(upper),"start":"\#(time(s))","end":"\#(time(e))"}"#
    }

    static func put(_ volumes: [String], state: String = "accepted", priority: Int = 0, key: [String] = [], ovn: String? = nil) -> String {
        var s = #"{"state":"\#(state)","priority":\#(priority),"volumes":[\#(volumes.joined(separator: ","))]"#
        if !key.isEmpty { s += #","key":[\#(key.map { "\"\($0)\"" }.joined(separator: ","))]"# }
        if let ovn { s += #","ovn":"\#(ovn)""# }
        return s + "}"
    }
}

extension HTTP {
    func put(_ path: String, token: String?, body: String) async throws -> Reply {
        try await request(.put, path, token: token, body: body)
    }
    func delete(_ path: String, token: String?) async throws -> Reply {
        try await request(.delete, path, token: token)
    }
}
