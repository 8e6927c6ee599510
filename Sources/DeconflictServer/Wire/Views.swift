import DeconflictCore
import Foundation

/// One aircraft as a party sees it. Its own: the id it reported and `own: true`.
/// Another party's: an opaque id, no callsign, no party.
public struct TrafficView: Codable, Sendable, Equatable {
    public var id: String
    public var own: Bool
    public var time: Double
    public var lat: Double
    public var lon: Double
    public var alt_ft: Double
    public var gs_kt: Double
    public var trk_deg: Double
    public var vs_fpm: Double

    /// `[…]` of views, keys sorted as `Wire.encoder` writes them (the stream's `track`
    /// events: thousands per cycle, so written by hand). Ids are safe to write unescaped:
    /// own ids match `AircraftID` (A–Z a–z 0–9 - _ .), opaque ones are `x-` + hex.
    static func jsonArray(_ items: [TrafficView]) -> String {
        var s = "["
        s.reserveCapacity(items.count * 160 + 2)
        for (k, v) in items.enumerated() {
            if k > 0 { s += "," }
            s += #"{"alt_ft":"# + num(v.alt_ft) + #","gs_kt":"# + num(v.gs_kt) + #","id":""# + v.id
            s += #"","lat":"# + num(v.lat) + #","lon":"# + num(v.lon) + #","own":"# + (v.own ? "true" : "false")
            s += #","time":"# + num(v.time) + #","trk_deg":"# + num(v.trk_deg) + #","vs_fpm":"# + num(v.vs_fpm) + "}"
        }
        return s + "]"
    }

    private static func num(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    static func own(_ t: LiveTrack) -> TrafficView { make(t, id: t.report.aircraft, own: true) }
    static func foreign(_ t: LiveTrack, opaque: String) -> TrafficView { make(t, id: opaque, own: false) }

    private static func make(_ t: LiveTrack, id: String, own: Bool) -> TrafficView {
        let r = t.report
        return TrafficView(id: id, own: own, time: r.time, lat: r.lat, lon: r.lon, alt_ft: r.alt_ft,
                           gs_kt: r.gs_kt, trk_deg: r.trk_deg, vs_fpm: r.vs_fpm)
    }
}

/// A conflict from one party's side: its aircraft, the intruder's opaque id, the
/// alert level and the predicted geometry.
public struct ConflictView: Codable, Sendable, Equatable {
    public var own: String
    public var intruder: String
    /// DO-365 level (Phase I: 1 preventive, 2 corrective, 3 warning); 0: a conflict with no
    /// alert level yet, or resolved.
    public var level: Int
    /// `new`, `update`, `resolved` on the stream; `active` from GET /v1/conflicts.
    public var state: String
    public var kind: String
    /// Seconds to loss of separation from `report_time` (0 when lost).
    public var tin_s: Double
    public var tcpa_s: Double
    public var dcpa_nm: Double
    public var distance_nm: Double
    public var vertical_ft: Double
    public var los: Bool
    /// Seconds to the violation of the level's protected volume (DO-365 well clear), at the
    /// last assessment; absent at level 0.
    public var time_to_violation_s: Double?
    /// Report time (epoch s) of the newer state the detection used.
    public var report_time: Double

    init(own: String, intruder: String, encounter p: Encounter, state: String) {
        self.own = own; self.intruder = intruder; self.level = p.level; self.state = state
        kind = "tactical"
        let level = p.level
        let g = p.geometry
        tin_s = Self.r(max(0, g.tin)); tcpa_s = Self.r(g.tcpa); dcpa_nm = Self.r(Units.toNM(g.dcpa))
        distance_nm = Self.r(Units.toNM(g.distance)); vertical_ft = Self.r(Units.toFt(g.verticalSeparation))
        los = g.los; report_time = p.reportTime
        time_to_violation_s = level > 0 ? p.timeToViolation.map(Self.r) : nil
    }

    private static func r(_ x: Double) -> Double { x.isFinite ? (x * 1000).rounded() / 1000 : 0 }

    /// The stream message: this view plus `type`, `cursor` and, for alerts, `previous_level`.
    /// `trigger`: `report` when a fresh report raised it (checked at once), `cycle` when
    /// the periodic full cycle did.
    func json(type: String, cursor: UInt64, previous: Int?, trigger: String = "cycle") -> String {
        let body = Wire.text(self)
        var head = #"{"type":"\#(type)","cursor":\#(cursor),"trigger":"\#(trigger)","#
        if let previous { head += #""previous_level":\#(previous),"# }
        return head + body.dropFirst()
    }
}

/// What `POST /v1/tracks` answers.
public struct IngestResult: Codable, Sendable, Equatable {
    /// Reports in the batch, all valid (duplicates included: replays are idempotent).
    public var accepted: Int
    /// Reports that changed the live picture.
    public var applied: Int
    /// Reports already seen for (aircraft, time), or older than what is known.
    public var duplicates: Int
}
